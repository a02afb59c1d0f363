#!/usr/bin/python3
"""What the operations layer costs and what it holds (docs/performance.md,
"Operations"), side by side in one run:

  overhead  GET /v1/orders/{id} under wrk, comandad with the access log and
            the rate limiter on (--log-level info, a limit no client
            reaches) against both off (--log-level off --rate-limit 0);
            interleaved rounds, medians, the ratio.
  ab        two builds of comandad side by side on the same GET (a change
            measured against the build before it).
  stalls    a probe placing an order every 10 ms beside wrk placing
            orders: its slowest requests, their positions, and whether a
            slow log write (from /metrics) explains them.
  flood     N idle connections against --max-connections CAP: how many are
            served, how many answered 503, comandad's RSS before and after.

comandad runs on core 0 and the clients on core 1 (taskset).

  /usr/bin/python3 bench/operations.py overhead --rounds 3 --duration 10
  /usr/bin/python3 bench/operations.py flood --connections 3000 --cap 1000
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
os.environ.setdefault("COMANDAD", os.path.join(ROOT, "build", "comandad"))
os.environ.setdefault("COMANDA", os.path.join(ROOT, "build", "comanda"))
os.environ["COMANDA_E2E_OPENAPI"] = "0"  # the checker's requests would be measured too

import harness  # noqa: E402
from harness import TempServer, place_order, put_menu, register_restaurant  # noqa: E402

# A loaded server snapshots a million orders as it stops: seconds, not the
# tests' ten.
harness.STOP_TIMEOUT = 120

SERVER_CORE = ["taskset", "-c", "0"]
CLIENT_CORE = ["taskset", "-c", "1"]
CONFIGS = {
    "log+limit on": ["--log-level", "info", "--rate-limit", "1000000", "--rate-burst", "1000000"],
    "log only": ["--log-level", "info", "--rate-limit", "0"],
    "limit only": ["--log-level", "off", "--rate-limit", "1000000", "--rate-burst", "1000000"],
    "both off": ["--log-level", "off", "--rate-limit", "0"],
}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def wrk(url, token, connections, duration):
    out = subprocess.run([*CLIENT_CORE, "wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s",
                          "--latency", "-H", f"Authorization: Bearer {token}", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1e-3, "ms": 1, "s": 1e3}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def overhead(args):
    results = {name: [] for name in CONFIGS}
    for r in range(args.rounds):
        for name, flags in CONFIGS.items():
            with TempServer(extra_args=flags, prefix=SERVER_CORE) as server:
                restaurant = register_restaurant(server)
                put_menu(server, restaurant)
                order = place_order(server, restaurant)
                rps, p99, errors = wrk(server.url(f"/v1/orders/{order['id']}"), server.admin_token,
                                       args.connections, args.duration)
                results[name].append((rps, p99, errors))
                print(f"round {r + 1} {name:>13}: {rps:9.0f} req/s  p99 {p99:6.2f} ms  non-2xx {errors}",
                      flush=True)
    print(f"\nGET /v1/orders/{{id}}, {args.connections} connections, {args.duration} s, "
          f"medians of {args.rounds} rounds")
    med = {name: statistics.median(x[0] for x in rows) for name, rows in results.items()}
    for name, rows in results.items():
        print(f"  {name:>13}: {med[name]:9.0f} req/s  p99 {statistics.median(x[1] for x in rows):6.2f} ms")
    print(f"  ratio on/off: {med['log+limit on'] / med['both off']:.3f}")


def ab(args):
    """Two builds of comandad, interleaved, at shipped defaults but --rate-limit 0.
    Beside throughput, the server's own CPU time per request (from /proc): less
    swayed than throughput by whatever else the machine runs."""
    results = {"a": [], "b": []}
    for r in range(args.rounds):
        for side, binary in (("a", args.a), ("b", args.b)):
            os.environ["COMANDAD"] = os.path.abspath(binary)
            with TempServer(extra_args=["--rate-limit", "0"], prefix=SERVER_CORE) as server:
                restaurant = register_restaurant(server)
                put_menu(server, restaurant)
                order = place_order(server, restaurant)
                cpu_before = cpu_seconds(server.proc.pid)
                rps, p99, errors = wrk(server.url(f"/v1/orders/{order['id']}"), server.admin_token,
                                       args.connections, args.duration)
                cpu_us = (cpu_seconds(server.proc.pid) - cpu_before) / (rps * args.duration) * 1e6
                results[side].append((rps, cpu_us))
                print(f"round {r + 1} {side} ({binary}): {rps:9.0f} req/s  p99 {p99:6.2f} ms  "
                      f"non-2xx {errors}  cpu {cpu_us:5.1f} us/req", flush=True)
    a, b = (statistics.median(x[0] for x in results[s]) for s in "ab")
    ca, cb = (statistics.median(x[1] for x in results[s]) for s in "ab")
    print(f"\nGET /v1/orders/{{id}}, {args.connections} connections, medians of {args.rounds}: "
          f"a {a:.0f}, b {b:.0f} req/s; b/a {b / a:.3f}; "
          f"server CPU per request a {ca:.1f} us, b {cb:.1f} us (b/a {cb / ca:.3f})")


def cpu_seconds(pid):
    """The process's user + system CPU time so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wal_syncs_over(text, seconds):
    """How many log writes /metrics counts as slower than `seconds`."""
    total = le = 0
    for line in text.splitlines():
        if line.startswith("comanda_wal_sync_seconds_count "):
            total = float(line.split()[1])
        m = re.match(r'comanda_wal_sync_seconds_bucket\{le="([^"]+)"\} (\S+)', line)
        if m and m.group(1) != "+Inf" and abs(float(m.group(1)) - seconds) < 1e-9:
            le = float(m.group(2))
    return total - le


def stalls(args):
    """A probe placing an order every 10 ms beside wrk placing orders with
    64 connections: does any request stall, and does a slow fsync explain it?"""
    import http.client
    import json
    import tempfile
    import threading
    from harness import order_body
    with TempServer(extra_args=["--rate-limit", "0", "--log-level", "warn", *args.server_args],
                    prefix=SERVER_CORE) as server:
        restaurant = register_restaurant(server)
        put_menu(server, restaurant)
        body = json.dumps(order_body(restaurant))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                      f'wrk.headers["Content-Type"] = "application/json"\n'
                      f'wrk.headers["Authorization"] = "Bearer {server.admin_token}"\n')
        probe, stop = [], threading.Event()

        def run_probe():
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {server.admin_token}"}
            while not stop.is_set():
                began = time.monotonic()
                conn.request("POST", "/v1/orders", body, headers)
                resp = conn.getresponse()
                resp.read()
                took = time.monotonic() - began
                probe.append((took, resp.status, int(resp.getheader("Comanda-Position") or 0)))
                time.sleep(max(0.0, 0.01 - took))
        before = metrics_text_of(server)
        t = threading.Thread(target=run_probe)
        t.start()
        out = subprocess.run([*CLIENT_CORE, "wrk", "-t", "1", "-c", str(args.connections), "-d", f"{args.duration}s",
                              "--latency", "-s", lua.name, server.url("/v1/orders")],
                             capture_output=True, text=True, check=True).stdout
        stop.set()
        t.join()
        after = metrics_text_of(server)
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    dist = dict(re.findall(r"^\s+(\d+(?:\.\d+)?)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    times = sorted(p[0] for p in probe)
    q = lambda f: times[min(len(times) - 1, int(f * len(times)))] * 1000
    slow = [(round(p[0] * 1000), p[2]) for p in probe if p[0] > 0.05]
    print(f"wrk POST /v1/orders, {args.connections} connections, {args.duration} s: {rps:.0f} orders/s, "
          f"p50 {dist.get('50')}, p99 {dist.get('99')}, non-2xx {errors.group(1) if errors else 0}")
    print(f"probe, one order each 10 ms beside it: {len(probe)} placed, statuses {sorted(set(p[1] for p in probe))}, "
          f"p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, p99.9 {q(0.999):.1f} ms, max {times[-1] * 1000:.1f} ms")
    print(f"probe requests over 50 ms (ms, position): {slow if slow else 'none'}")
    print(f"log writes (WAL append + fsync) over 50 ms in the run: "
          f"{wal_syncs_over(after, 0.05) - wal_syncs_over(before, 0.05):.0f}; over 25 ms: "
          f"{wal_syncs_over(after, 0.025) - wal_syncs_over(before, 0.025):.0f}")


def metrics_text_of(server):
    return server.request("GET", "/metrics", token=None, raw=True)[2].decode()


def flood(args):
    with TempServer(extra_args=["--max-connections", str(args.cap), "--log-level", "warn"],
                    prefix=SERVER_CORE) as server:
        before = rss_kib(server.proc.pid)
        held, served, refused, failed = [], 0, 0, 0
        start = time.monotonic()
        for _ in range(args.connections):
            try:
                s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            except OSError:
                failed += 1
                continue
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            head = s.recv(64)
            if head.startswith(b"HTTP/1.1 200"):
                served += 1
                held.append(s)
            else:
                refused += 1 if head.startswith(b"HTTP/1.1 503") else 0
                s.close()
        took = time.monotonic() - start
        after = rss_kib(server.proc.pid)
        at_cap = server.get("/healthz", token=None)[0]
        for s in held:
            s.close()
        deadline = time.monotonic() + 10  # the server sees the closes shortly
        while (healthy := server.get("/healthz", token=None)[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        print(f"{args.connections} connections against --max-connections {args.cap} in {took:.1f} s: "
              f"{served} served and held, {refused} answered 503, {failed} not connected; "
              f"RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB "
              f"({(after - before) / max(served, 1):.1f} KiB per held connection); "
              f"a new client at the cap: {at_cap}, once they closed: {healthy}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    o = sub.add_parser("overhead")
    o.add_argument("--rounds", type=int, default=3)
    o.add_argument("--duration", type=int, default=10)
    o.add_argument("--connections", type=int, default=64)
    f = sub.add_parser("flood")
    f.add_argument("--connections", type=int, default=3000)
    f.add_argument("--cap", type=int, default=1000)
    c = sub.add_parser("ab")
    c.add_argument("--a", required=True, help="a comandad binary (the before)")
    c.add_argument("--b", default=os.path.join(ROOT, "build", "comandad"), help="the after")
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--duration", type=int, default=10)
    c.add_argument("--connections", type=int, default=64)
    t = sub.add_parser("stalls")
    t.add_argument("--duration", type=int, default=30)
    t.add_argument("--connections", type=int, default=64)
    t.add_argument("server_args", nargs="*", help="more comandad flags (after --)")
    args = p.parse_args()
    {"overhead": overhead, "flood": flood, "ab": ab, "stalls": stalls}[args.what](args)


if __name__ == "__main__":
    main()
