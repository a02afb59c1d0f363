"""The real-time side's benchmarks (docs/performance.md, "Real time"), each
side by side in one run, comandad pinned to one core and the clients
(build/comanda_wsload, redis-benchmark) to the other with taskset:

  fanout  writers placing orders closed-loop at 64 in flight, with no
          subscriber and with 1,000 subscribers over 100 restaurant topics
          (alternated, twice each): the throughput ratio. Then writers paced
          at 10,000 orders/s (and 2,000: below what this machine sustains
          with the subscribers), with and without them: the append-to-receipt
          latency of every delivered message, and drops.
  gps     50 driver sockets sending location messages, durable (sync), at
          pipeline depth 1 and 16; then Redis 7 Streams (appendfsync always)
          with redis-benchmark XADD, 50 clients, the same depths
          (bench/peers/redis_streams.py).

    /usr/bin/python3 bench/realtime.py [fanout|gps|all] [--duration 10]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "bench", "peers"))
os.environ.setdefault("COMANDAD", os.path.join(ROOT, "build", "comandad"))
os.environ.setdefault("COMANDA", os.path.join(ROOT, "build", "comanda"))

from harness import TempServer, put_menu, register_restaurant  # noqa: E402
from redis_streams import Redis  # noqa: E402

LOADGEN = os.path.join(ROOT, "build", "comanda_wsload")
PINNED = (os.cpu_count() or 1) >= 2
SERVER_CORE = ["taskset", "-c", "0"] if PINNED else []
CLIENT_CORE = ["taskset", "-c", "1"] if PINNED else []


def loadgen(*args):
    """comanda_wsload's figures (its one JSON line)."""
    out = subprocess.run([*CLIENT_CORE, LOADGEN, *map(str, args)], check=True, capture_output=True,
                         text=True, timeout=600).stdout
    return json.loads(out.strip().splitlines()[-1])


def targets_file(lines):
    f = tempfile.NamedTemporaryFile("w", prefix="comanda-targets-", suffix=".txt", delete=False)
    f.write("\n".join(lines) + "\n")
    f.close()
    return f.name


def fanout(duration, rates):
    with TempServer(prefix=SERVER_CORE) as server:
        lines = []
        for i in range(100):
            rid = register_restaurant(server, owners=[f"u-owner-{i}"], name=f"Sede {i}")
            put_menu(server, rid)
            lines.append(f"{rid} {server.token('owner', f'u-owner-{i}')}")
        targets = targets_file(lines)
        common = ["fanout", "--port", server.port, "--targets", targets, "--token", server.admin_token,
                  "--writers", 64, "--duration", duration]
        closed = {0: [], 1000: []}
        for subscribers in (0, 1000, 1000, 0):
            r = loadgen(*common, "--subscribers", subscribers)
            closed[subscribers].append(r)
            print(json.dumps(r), flush=True)
        paced = {}
        for rate in rates:
            for subscribers in (0, 1000):
                paced[rate, subscribers] = loadgen(*common, "--subscribers", subscribers, "--rate", rate)
                print(json.dumps(paced[rate, subscribers]), flush=True)
        os.unlink(targets)
    alone = statistics.median(r["orders_per_s"] for r in closed[0])
    watched = statistics.median(r["orders_per_s"] for r in closed[1000])
    print(f"\nclosed loop, 64 in flight: {alone:,.0f} orders/s alone, {watched:,.0f} with 1,000 "
          f"subscribers: ratio {watched / alone:.2f} (target >= 0.9)")
    for (rate, subscribers), r in paced.items():
        print(f"paced at {rate:,}/s, {subscribers} subscribers: {r['orders_per_s']:,.0f} orders/s, "
              f"writes p99 {r['write_p99_ms']:.2f} ms; deliveries {r['deliveries']:,} "
              f"p50 {r['latency_p50_ms']:.2f} ms p99 {r['latency_p99_ms']:.2f} ms; drops {r['drops']}")


def gps(duration):
    results = []
    with TempServer(prefix=SERVER_CORE) as server:
        lines = []
        for i in range(50):
            token = server.token("driver", f"u-driver-{i}")
            status, _, driver = server.post("/v1/drivers", {"name": f"Driver {i}"}, token=token)
            assert status == 201, driver
            lines.append(f"{driver['id']} {token}")
        targets = targets_file(lines)
        # Depth 16 twice: 16 location messages in flight, and one locations
        # message of 16 pings (as redis-benchmark -P sends 16 commands at once).
        for depth, batch in ((1, False), (16, False), (16, True)):
            r = loadgen("gps", "--port", server.port, "--targets", targets, "--depth", depth,
                        "--duration", duration, *(["--batch"] if batch else []))
            results.append(r)
            print(json.dumps(r), flush=True)
        os.unlink(targets)
    redis = Redis(prefix=SERVER_CORE)
    try:
        peers = {}
        for r in results:
            depth = r["depth"]
            if depth not in peers:  # about as many requests as Comanda answered
                peers[depth] = redis.xadd(50, depth, max(100_000, int(r["pings_per_s"] * duration * 2)),
                                          prefix=CLIENT_CORE)
                print(json.dumps(peers[depth]), flush=True)
            peer = peers[depth]
            how = "one locations message" if r["batch"] else "location messages"
            print(f"depth {depth} ({how}): comanda {r['pings_per_s']:,.0f} pings/s "
                  f"(ack p99 {r['ack_p99_ms']:.2f} ms), redis {peer['pings_per_s']:,.0f}/s "
                  f"(p99 {peer['ack_p99_ms']:.2f} ms): ratio {r['pings_per_s'] / peer['pings_per_s']:.2f} "
                  f"(target >= 1.0)", flush=True)
    finally:
        redis.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("which", nargs="?", default="all", choices=("fanout", "gps", "all"))
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rates", default="10000,2000",
                        help="paced runs' orders per second in all, comma-separated")
    a = parser.parse_args()
    print(f"cores: {os.cpu_count()}; pinned: {PINNED}", flush=True)
    if a.which in ("fanout", "all"):
        fanout(a.duration, [int(r) for r in a.rates.split(",")])
    if a.which in ("gps", "all"):
        gps(a.duration)
