#!/usr/bin/python3
"""The whole server under load against its peers, per request kind and
client count, in one table (issue 21): throughput, p50 and p99 from every
request, errors (must be 0), server CPU per request (from /proc, the
server's own counters), RSS, and Comanda over the peer.

  POST /v1/orders                 comandad  vs  PostgreSQL 15 as an event store (pgbench -M prepared:
                                            per command one transaction checking the stream's
                                            version, inserting the event as jsonb, upserting the
                                            projection row; synchronous_commit on)
  GET /v1/orders/{id}             comandad  vs  a PostgreSQL primary-key SELECT of that row,
                                            and the minimal Beast server answering comandad's bytes
  POST /v1/drivers/{id}/location  comandad  vs  Redis 7 Streams XADD, appendonly yes, appendfsync
                                            always (redis-benchmark, pipeline depth 1)

Run conditions, the same for every side: one server at a time on core 0,
its load generator on core 1 (taskset) with the same clients; comandad as
shipped (`sync`, `--rate-limit 0` written in the command), PostgreSQL as
initdb ships it; each round starts every server on a fresh copy of a
template preloaded once with --preload orders (Redis: pings), runs every
side once per kind and client count (each server first left to finish
its start-up work: its CPU quiet for a second), and measures the disk's fsync rate
(4 KiB + fdatasync, one after another, ~3 s) in the same filesystem: the
physical limit of a durable write. Medians of the rounds are printed.

  /usr/bin/python3 bench/peers/side_by_side.py [--rounds 3] [--duration 10] [--clients 16,64]
                                               [--preload 1000000]

Binaries: COMANDAD, COMANDA (default build/comandad, build/comanda) and
MINIMAL_SERVER (default build/minimal_server: `cmake --build build --target
minimal_server`). Debian's postgresql-15, redis-server, redis-tools and wrk
are installed when missing.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, HERE)
os.environ.setdefault("COMANDAD", os.path.join(ROOT, "build", "comandad"))
os.environ.setdefault("COMANDA", os.path.join(ROOT, "build", "comanda"))
os.environ.setdefault("MINIMAL_SERVER", os.path.join(ROOT, "build", "minimal_server"))
os.environ["COMANDA_E2E_OPENAPI"] = "0"  # the checker's requests would be measured too

import postgres  # noqa: E402
from packages import apt_install  # noqa: E402
from harness import ADMIN_SUB, make_token, order_body  # noqa: E402
from http_sides import GET, ORDERS, PINGS, Comandad, MinimalServer, Template, cycling_script, run_wrk  # noqa: E402
from measure import cpu_seconds, fsync_rate, rss_mib, tree_cpu_seconds, wait_until_idle  # noqa: E402
from redis_streams import Redis  # noqa: E402

SERVER_CORE = ["taskset", "-c", "0"]
CLIENT_CORE = ["taskset", "-c", "1"]

COMANDAD = "comandad"
PG_STORE, PG_SELECT = "PostgreSQL event store", "PostgreSQL primary-key SELECT"
MINIMAL, REDIS = "minimal Beast (same bytes)", "Redis XADD (appendfsync always)"
PEERS = {ORDERS: [PG_STORE], GET: [PG_SELECT, MINIMAL], PINGS: [REDIS]}


def ensure_tools():
    if shutil.which("wrk") and shutil.which("curl"):
        return
    apt_install("wrk", "curl")


def size_mib(directory):
    return int(subprocess.run(["du", "-sm", directory], capture_output=True, text=True, check=True).stdout.split()[0])


def fresh_copy(template, destination):
    """A copy of a template directory, on disk before the servers start, so
    that its write-back does not land in a measurement."""
    subprocess.run(["cp", "-a", template, destination], check=True)
    os.sync()
    return destination


class Bench:
    """One run: its directory, the templates, and every measurement by
    (kind, server, clients)."""

    def __init__(self, args, run_dir):
        self.args, self.dir = args, run_dir
        self.clients = [int(c) for c in args.clients.split(",")]
        self.results = {}
        self.fsyncs = []
        self.redis_rate = {}  # XADDs/s last seen per client count: how many requests fill --duration
        self.minimal = os.environ["MINIMAL_SERVER"]
        if not os.access(self.minimal, os.X_OK):
            sys.exit(f"no minimal server at {self.minimal}: cmake --build build --target minimal_server, "
                     "or set MINIMAL_SERVER")

    def prepare(self):
        n = self.args.preload
        started = time.monotonic()
        self.comandad = Template(self.dir, n)
        print(f"comandad template: {n:,} orders through POST /v1/orders in {self.comandad.preload_seconds:.1f} s "
              f"({n / self.comandad.preload_seconds:,.0f}/s), {time.monotonic() - started:.1f} s in all, "
              f"{size_mib(self.comandad.dir):,} MiB", flush=True)
        with open(self.comandad.answer, "rb") as f:
            self.view = f.read().split(b"\r\n\r\n", 1)[1].decode()
        self.restaurant = self.comandad.restaurants[0]
        self.event = postgres_event(self.restaurant)
        started = time.monotonic()
        self.pg_template = os.path.join(self.dir, "pg-template")
        postgres.make_template(self.pg_template, n, self.event, self.view, self.restaurant)
        print(f"PostgreSQL template: {n:,} events and order rows in {time.monotonic() - started:.1f} s, "
              f"{size_mib(self.pg_template):,} MiB", flush=True)
        started = time.monotonic()
        self.redis_template = os.path.join(self.dir, "redis-template")
        os.makedirs(self.redis_template)
        redis = Redis(data_dir=self.redis_template, appendfsync="no")
        try:
            redis.preload(n)
        finally:
            redis.stop()
        print(f"Redis template: {n:,} stream entries in {time.monotonic() - started:.1f} s, "
              f"{size_mib(self.redis_template):,} MiB", flush=True)

    def record(self, r, kind, server, clients, m):
        self.results.setdefault((kind, server, clients), []).append(m)
        print(f"round {r + 1} {kind:>30} {server:>31} {clients:3} clients: {m['rps']:9.0f}/s "
              f"p50 {m['p50']:.2f} ms p99 {m['p99']:.2f} ms errors {m['errors']} "
              f"cpu {m['cpu_us']:.1f} us/req rss {m['rss']:.0f} MiB", flush=True)

    def round(self, r):
        os.sync()  # the last round's (or the templates') write-back is not the disk's rate
        rate = fsync_rate(self.dir)
        self.fsyncs.append(rate)
        print(f"round {r + 1}: fsync probe {rate:,.0f} fdatasyncs/s", flush=True)
        self.comandad_side(r)
        self.postgres_side(r)
        self.redis_side(r)
        self.minimal_side(r)

    def comandad_side(self, r):
        copy = fresh_copy(self.comandad.dir, os.path.join(self.dir, f"comandad-{r}"))
        side = Comandad(self.comandad, os.path.join(copy, "data"), SERVER_CORE, self.dir)
        try:
            wait_until_idle(lambda: cpu_seconds(side.pid))
            for c in self.clients:
                for kind, url, script in side.kinds(c):
                    self.record(r, kind, COMANDAD, c,
                                run_wrk(url, script, c, self.args.duration, side.pid, CLIENT_CORE))
        finally:
            side.stop()
            shutil.rmtree(copy)

    def postgres_side(self, r):
        copy = fresh_copy(self.pg_template, os.path.join(self.dir, f"pg-{r}"))
        pg = postgres.Postgres(copy, prefix=SERVER_CORE)
        try:
            wait_until_idle(lambda: tree_cpu_seconds(pg.pid))
            for run, c in enumerate(self.clients):
                variables = {"hi": run + 1, "seq": 0, "event": self.event, "view": self.view,
                             "restaurant": self.restaurant}
                self.record(r, ORDERS, PG_STORE, c, pg.pgbench(postgres.PLACE_ORDER, c, self.args.duration,
                                                               variables, CLIENT_CORE))
            for c in self.clients:
                self.record(r, GET, PG_SELECT, c, pg.pgbench(postgres.GET_ORDER, c, self.args.duration,
                                                             {"orders": self.args.preload}, CLIENT_CORE))
        finally:
            pg.stop()
            shutil.rmtree(copy)

    def redis_side(self, r):
        """redis-benchmark counts requests, not seconds: as many as the last
        rate seen at these clients fills --duration (a short first run finds
        it)."""
        copy = fresh_copy(self.redis_template, os.path.join(self.dir, f"redis-{r}"))
        redis = Redis(prefix=SERVER_CORE, data_dir=copy)
        try:
            wait_until_idle(lambda: cpu_seconds(redis.proc.pid))
            for c in self.clients:
                if c not in self.redis_rate:
                    self.redis_rate[c] = redis.xadd(c, 1, 500 * c, CLIENT_CORE)["pings_per_s"]
                requests = max(1000, int(self.redis_rate[c] * self.args.duration))
                before = cpu_seconds(redis.proc.pid)
                x = redis.xadd(c, 1, requests, CLIENT_CORE)
                cpu = cpu_seconds(redis.proc.pid) - before
                self.redis_rate[c] = x["pings_per_s"]
                self.record(r, PINGS, REDIS, c, {"rps": x["pings_per_s"], "p50": x["ack_p50_ms"],
                                                 "p99": x["ack_p99_ms"], "errors": x["errors"],
                                                 "cpu_us": cpu / requests * 1e6, "rss": rss_mib(redis.proc.pid)})
        finally:
            redis.stop()
            shutil.rmtree(copy)

    def minimal_side(self, r):
        """The GET kind's requests (the same bytes, but for the token's
        signature) against the minimal server answering the template's GET
        answer."""
        server = MinimalServer(self.minimal, self.comandad.answer, SERVER_CORE)
        paths = [f"/v1/orders/{i}" for i in self.comandad.order_ids]
        try:
            wait_until_idle(lambda: cpu_seconds(server.pid))
            for c in self.clients:
                # Never checked; of the length of comandad's, one per client.
                tokens = [make_token(self.comandad.secret, "admin", ADMIN_SUB, jti=f"c{i}") for i in range(c)]
                script = cycling_script(self.dir, "GET", paths, None, tokens)
                try:
                    self.record(r, GET, MINIMAL, c, run_wrk(server.base_url + "/", script, c, self.args.duration,
                                                            server.pid, CLIENT_CORE))
                finally:
                    os.unlink(script)
        finally:
            server.stop()

    def print_table(self):
        a = self.args
        print(f"\nmedians of {a.rounds} rounds of {a.duration} s, {a.preload:,} orders preloaded; "
              f"errors summed over the rounds; fsync probe {statistics.median(self.fsyncs):,.0f} fdatasyncs/s "
              f"(rounds: {', '.join(f'{x:,.0f}' for x in self.fsyncs)})\n")
        print("| request | server | clients | req/s | p50 ms | p99 ms | errors | server CPU µs/req | RSS MiB "
              "| Comanda/peer req/s | Comanda/peer CPU/req |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for kind, peers in PEERS.items():
            for c in self.clients:
                ours = self.median(kind, COMANDAD, c)
                for server in [COMANDAD, *peers]:
                    m = self.median(kind, server, c)
                    if m is None:
                        continue
                    rss = f"{m['rss']:.0f}" + (f" (PSS {m['pss']:.0f})" if "pss" in m else "")
                    ratios = "| |" if server == COMANDAD else \
                        f"| {ours['rps'] / m['rps']:.2f} | {ours['cpu_us'] / m['cpu_us']:.2f} |"
                    print(f"| {kind} | {server} | {c} | {m['rps']:,.0f} | {m['p50']:.2f} | {m['p99']:.2f} | "
                          f"{m['errors']} | {m['cpu_us']:.1f} | {rss} {ratios}")
        # PostgreSQL is a postmaster and a process per connection sharing
        # shared_buffers: summed RSS counts a shared page in every process
        # that touched it, so its PSS (shared pages split among them) is
        # printed beside it as what the group really holds.
        print("\nPostgreSQL's RSS: the postmaster and all its processes summed, read at 80 % of the run; "
              "shared memory counts once per process there, PSS splits it.")

    def median(self, kind, server, clients):
        rows = self.results.get((kind, server, clients))
        if not rows:
            return None
        m = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
        m["errors"] = sum(row["errors"] for row in rows)
        return m


def postgres_event(restaurant):
    """The event the PostgreSQL store appends: the order as comandad is sent it."""
    return json.dumps(order_body(restaurant))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--clients", default="16,64")
    p.add_argument("--preload", type=int, default=1_000_000, help="orders (Redis: pings) in every fresh data set")
    args = p.parse_args()
    ensure_tools()
    postgres.ensure_installed()
    started = time.monotonic()
    run_dir = tempfile.mkdtemp(prefix="comanda-peers-")
    os.chmod(run_dir, 0o755)  # PostgreSQL's unprivileged user reaches its cluster through it
    try:
        bench = Bench(args, run_dir)
        bench.prepare()
        # The templates had both cores; from here this script keeps to the
        # clients' core, out of the servers' way.
        os.sched_setaffinity(0, {1})
        for r in range(args.rounds):
            bench.round(r)
        bench.print_table()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    print(f"\n{time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    main()
