"""Redis 7 Streams as the peer of Comanda's GPS ingest (bench/realtime.py):
a redis-server with `appendonly yes` and `appendfsync always` (each write
on disk before its reply, as Comanda's `sync`), loaded by redis-benchmark
with XADD. Debian's redis-server and redis-tools; installed when missing.

    /usr/bin/python3 bench/peers/redis_streams.py [--clients 50] [--depth 1] [--requests 200000]
"""

import argparse
import csv
import io
import shutil
import socket
import subprocess
import tempfile
import time

from packages import apt_install

STREAM = "driver:pings"  # one driver's pings, as the HTTP side sends them


def ensure_installed():
    if shutil.which("redis-server") and shutil.which("redis-benchmark"):
        return
    apt_install("redis-server", "redis-tools")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A throwaway redis-server on 127.0.0.1. Its AOF is in `data_dir`
    (kept at stop) or, without one, in a temporary directory (removed at
    stop). `prefix`: words run before it (["taskset", "-c", "0"]);
    `appendfsync`: "always" (each write on disk before its reply) unless a
    preload asks for "no"."""

    def __init__(self, prefix=(), data_dir=None, appendfsync="always"):
        ensure_installed()
        self.owns_dir = data_dir is None
        self.dir = tempfile.mkdtemp(prefix="comanda-redis-") if self.owns_dir else data_dir
        self.port = free_port()
        self.proc = subprocess.Popen(
            [*prefix, "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--appendonly", "yes", "--appendfsync", appendfsync, "--save", "", "--protected-mode", "yes",
             "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 60  # a preloaded AOF is read before the port answers
        while time.monotonic() < end:
            try:
                if self.cli("PING") == "PONG":
                    return
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def cli(self, *args):
        """One command through redis-cli; its reply as text."""
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], check=True, capture_output=True,
                              text=True, timeout=60).stdout.strip()

    def xadd(self, clients, depth, requests, prefix=()):
        """redis-benchmark's XADD figures: requests/s and latency p50/p99 in
        ms (from every request), and errors: requests whose entry is not in
        the stream afterwards."""
        before = self.stream_length()
        out = subprocess.run(
            [*prefix, "redis-benchmark", "-p", str(self.port), "-c", str(clients), "-P", str(depth),
             "-n", str(requests), "--csv", "XADD", STREAM, "*", "lat", "-12.1000001", "lng", "-77.03"],
            check=True, capture_output=True, text=True, timeout=600).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        row = rows[-1]
        # With a pipeline, redis-benchmark may send a few more than asked:
        # entries beyond `requests` are not errors.
        missing = max(0, requests - (self.stream_length() - before))
        return {"peer": "redis", "clients": clients, "depth": depth,
                "pings_per_s": float(row["rps"]), "ack_p50_ms": float(row["p50_latency_ms"]),
                "ack_p99_ms": float(row["p99_latency_ms"]), "errors": missing}

    def stream_length(self):
        return int(self.cli("XLEN", STREAM))

    def preload(self, entries):
        """`entries` pings in the stream, pipelined, then the AOF rewritten
        into one base file (so that a copy starts by reading a snapshot, not
        replaying every XADD). Waits for the rewrite."""
        subprocess.run(["redis-benchmark", "-p", str(self.port), "-c", "16", "-P", "100", "-n", str(entries), "-q",
                        "XADD", STREAM, "*", "lat", "-12.1000001", "lng", "-77.03"],
                       check=True, stdout=subprocess.DEVNULL, timeout=1800)
        self.cli("BGREWRITEAOF")
        end = time.monotonic() + 600
        while ("aof_rewrite_in_progress:0" not in (info := self.cli("INFO", "persistence"))
               or "aof_rewrite_scheduled:0" not in info):
            if time.monotonic() > end:
                raise RuntimeError("redis-server did not finish rewriting its AOF")
            time.sleep(0.1)

    def stop(self):
        self.proc.terminate()  # SIGTERM: the AOF is flushed and synced before it exits
        self.proc.wait(60)
        if self.owns_dir:
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
