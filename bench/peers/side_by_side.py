#!/usr/bin/python3
"""The whole server under load, per request kind and client count, in one
table: throughput, p50 and p99 from wrk (every request), non-2xx answers
(must be 0), server CPU per request (from /proc, the server's own counters)
and RSS. comandad runs on core 0 (`sync`, shipped defaults with
`--rate-limit 0` written in the command), wrk on core 1; rounds interleave
the kinds, medians are printed.

This is comandad's side of issue 21's comparison; PostgreSQL's and Redis's
sides join it here (bench/peers/redis_streams.py is Redis's GPS peer today).

  /usr/bin/python3 bench/peers/side_by_side.py [--rounds 3] [--duration 10] [--clients 16,64]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
os.environ.setdefault("COMANDAD", os.path.join(ROOT, "build", "comandad"))
os.environ.setdefault("COMANDA", os.path.join(ROOT, "build", "comanda"))
os.environ["COMANDA_E2E_OPENAPI"] = "0"

import harness  # noqa: E402
from harness import TempServer, order_body, place_order, put_menu, register_restaurant  # noqa: E402

harness.STOP_TIMEOUT = 120  # a loaded server snapshots its state as it stops
SERVER_CORE = ["taskset", "-c", "0"]
CLIENT_CORE = ["taskset", "-c", "1"]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]


def lua(method, body, token):
    f = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    f.write(f'wrk.method = "{method}"\nwrk.headers["Authorization"] = "Bearer {token}"\n')
    if body is not None:
        f.write(f'wrk.body = {json.dumps(json.dumps(body))}\nwrk.headers["Content-Type"] = "application/json"\n')
    f.close()
    return f.name


def setup(server):
    """The three requests: (kind, url, wrk script)."""
    restaurant = register_restaurant(server)
    put_menu(server, restaurant)
    order = place_order(server, restaurant)
    driver_token = server.token("driver", "bench-driver")
    status, _, driver = server.post("/v1/drivers", {"name": "Bench"}, token=driver_token)
    assert status == 201, driver
    return [
        ("POST /v1/orders", server.url("/v1/orders"), lua("POST", order_body(restaurant), server.admin_token)),
        ("GET /v1/orders/{id}", server.url(f"/v1/orders/{order['id']}"), lua("GET", None, server.admin_token)),
        ("POST location", server.url(f"/v1/drivers/{driver['id']}/location"),
         lua("POST", {"lat": -12.1, "lng": -77.03}, driver_token)),
    ]


def run(url, script, clients, duration, pid):
    before = cpu_seconds(pid)
    out = subprocess.run([*CLIENT_CORE, "wrk", "-t", "1", "-c", str(clients), "-d", f"{duration}s",
                          "--latency", "-s", script, url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    dist = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms(dist["50"]), "p99": ms(dist["99"]),
            "errors": (int(errors.group(1)) if errors else 0) + (1 if socket_errors else 0),
            "cpu_us": cpu / max(requests, 1) * 1e6, "rss": rss_mib(pid)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--clients", default="16,64")
    args = p.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    results = {}
    for r in range(args.rounds):
        with TempServer(extra_args=["--durability", "sync", "--rate-limit", "0"], prefix=SERVER_CORE) as server:
            kinds = setup(server)
            for kind, url, script in kinds:
                for c in clients:
                    m = run(url, script, c, args.duration, server.proc.pid)
                    results.setdefault((kind, c), []).append(m)
                    print(f"round {r + 1} {kind:>20} {c:3} clients: {m['rps']:9.0f}/s p50 {m['p50']:.2f} ms "
                          f"p99 {m['p99']:.2f} ms errors {m['errors']} cpu {m['cpu_us']:.1f} us/req "
                          f"rss {m['rss']:.0f} MiB", flush=True)
            for _, _, script in kinds:
                os.unlink(script)
    print(f"\ncomandad (sync, --rate-limit 0), medians of {args.rounds} rounds of {args.duration} s:\n")
    print("| request | clients | req/s | p50 ms | p99 ms | errors | server CPU µs/req | RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for (kind, c), rows in results.items():
        med = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
        print(f"| {kind} | {c} | {med['rps']:,.0f} | {med['p50']:.2f} | {med['p99']:.2f} | "
              f"{sum(row['errors'] for row in rows)} | {med['cpu_us']:.1f} | {med['rss']:.0f} |")


if __name__ == "__main__":
    main()
