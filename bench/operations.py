#!/usr/bin/python3
"""What the operations layer costs and what it holds (docs/performance.md,
"Operations"), side by side in one run:

  overhead  GET /v1/orders/{id} under wrk, comandad with the access log and
            the rate limiter on (--log-level info, a limit no client
            reaches) against both off (--log-level off --rate-limit 0);
            interleaved rounds, medians, the ratio.
  ab        two builds of comandad side by side on the same GET (a change
            measured against the build before it).
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

from harness import TempServer, place_order, put_menu, register_restaurant  # noqa: E402

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
    """Two builds of comandad, interleaved, at shipped defaults but --rate-limit 0."""
    results = {"a": [], "b": []}
    for r in range(args.rounds):
        for side, binary in (("a", args.a), ("b", args.b)):
            os.environ["COMANDAD"] = os.path.abspath(binary)
            with TempServer(extra_args=["--rate-limit", "0"], prefix=SERVER_CORE) as server:
                restaurant = register_restaurant(server)
                put_menu(server, restaurant)
                order = place_order(server, restaurant)
                rps, p99, errors = wrk(server.url(f"/v1/orders/{order['id']}"), server.admin_token,
                                       args.connections, args.duration)
                results[side].append(rps)
                print(f"round {r + 1} {side} ({binary}): {rps:9.0f} req/s  p99 {p99:6.2f} ms  "
                      f"non-2xx {errors}", flush=True)
    a, b = statistics.median(results["a"]), statistics.median(results["b"])
    print(f"\nGET /v1/orders/{{id}}, {args.connections} connections, medians of {args.rounds}: "
          f"a {a:.0f}, b {b:.0f} req/s; b/a {b / a:.3f}; "
          f"server core per request a {1e6 / a:.1f} us, b {1e6 / b:.1f} us")


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
    args = p.parse_args()
    {"overhead": overhead, "flood": flood, "ab": ab}[args.what](args)


if __name__ == "__main__":
    main()
