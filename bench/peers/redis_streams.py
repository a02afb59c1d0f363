"""Redis 7 Streams as the peer of Comanda's GPS ingest (bench/realtime.py):
a redis-server with `appendonly yes` and `appendfsync always` (each write
on disk before its reply, as Comanda's `sync`), loaded by redis-benchmark
with XADD. Debian's redis-server and redis-tools; installed when missing.

    /usr/bin/python3 bench/peers/redis_streams.py [--clients 50] [--depth 1] [--requests 200000]
"""

import argparse
import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
import time


def ensure_installed():
    if shutil.which("redis-server") and shutil.which("redis-benchmark"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                           "redis-server", "redis-tools"], check=True, env=env, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A throwaway redis-server on 127.0.0.1, its AOF in a temporary
    directory. `prefix`: words run before it (["taskset", "-c", "0"])."""

    def __init__(self, prefix=()):
        ensure_installed()
        self.dir = tempfile.mkdtemp(prefix="comanda-redis-")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [*prefix, "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes",
             "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def xadd(self, clients, depth, requests, prefix=()):
        """redis-benchmark's XADD figures: requests/s and latency p50/p99 in ms."""
        out = subprocess.run(
            [*prefix, "redis-benchmark", "-p", str(self.port), "-c", str(clients), "-P", str(depth),
             "-n", str(requests), "--csv", "XADD", "driver:pings", "*", "lat", "-12.1000001", "lng", "-77.03"],
            check=True, capture_output=True, text=True, timeout=600).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        row = rows[-1]
        return {"peer": "redis", "clients": clients, "depth": depth,
                "pings_per_s": float(row["rps"]), "ack_p50_ms": float(row["p50_latency_ms"]),
                "ack_p99_ms": float(row["p99_latency_ms"])}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200000)
    a = parser.parse_args()
    r = Redis()
    try:
        print(r.xadd(a.clients, a.depth, a.requests))
    finally:
        r.stop()
