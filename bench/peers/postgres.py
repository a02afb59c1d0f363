"""PostgreSQL 15 as the peer of Comanda's orders (issue 21), done as its
users would: an event store where each command is one transaction that
checks the stream's version, inserts the event (jsonb) and upserts the
projection row, and reads are a primary-key SELECT of that row. Loaded by
pgbench with prepared statements (`-M prepared`), synchronous_commit on,
every other setting as initdb ships it (shared_buffers 128MB).

initdb and postgres refuse to run as root: both run as an unprivileged
user (Debian's `postgres`, else one made with useradd) through setpriv,
which execs, so the started process is the postmaster itself. Debian's
postgresql-15; installed when missing.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

from packages import apt_install
from measure import children, percentile, tree_cpu_seconds, tree_memory_mib

BIN = "/usr/lib/postgresql/15/bin"
ROLE = "bench"  # the database superuser initdb makes; trust on loopback

SCHEMA = """
CREATE TABLE events (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id uuid NOT NULL,
  version integer NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, version)
);
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  restaurant_id uuid NOT NULL,
  status text NOT NULL,
  version integer NOT NULL,
  total bigint NOT NULL,
  placed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  view jsonb NOT NULL
);
"""

# Preloaded order i has the stream id 0000…i: ids that grow, as Comanda's
# time-ordered ones do.
PRELOAD = """
INSERT INTO events (stream_id, version, type, data)
  SELECT lpad(to_hex(i), 32, '0')::uuid, 1, 'order_placed', :'event'::jsonb
  FROM generate_series(1, :orders) i;
INSERT INTO orders
  SELECT lpad(to_hex(i), 32, '0')::uuid, :'restaurant'::uuid, 'pending', 1, 3900, now(), now(),
         :'view'::jsonb
  FROM generate_series(1, :orders) i;
VACUUM ANALYZE;
CHECKPOINT;
"""

# One command: the new stream's id is minted by the client (pgbench), as
# Comanda mints it before the sequencer sees the command: :hi is the run,
# :lo the client and its count, so each client's ids grow. The event and the
# view are parameters, parsed as jsonb on every transaction.
STREAM = "(lpad(to_hex(:hi::bigint), 16, '0') || lpad(to_hex(:lo::bigint), 16, '0'))::uuid"
PLACE_ORDER = f"""\\set seq :seq + 1
\\set lo :client_id * 1099511627776 + :seq
BEGIN;
SELECT coalesce(max(version), 0) AS v FROM events WHERE stream_id = {STREAM} \\gset
INSERT INTO events (stream_id, version, type, data)
  VALUES ({STREAM}, :v + 1, 'order_placed', :event::jsonb);
INSERT INTO orders (id, restaurant_id, status, version, total, placed_at, updated_at, view)
  VALUES ({STREAM}, :restaurant::uuid, 'pending', :v + 1, 3900, now(), now(), :view::jsonb)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version,
    updated_at = excluded.updated_at, view = excluded.view;
END;
"""

GET_ORDER = """\\set i random(1, :orders)
SELECT id, restaurant_id, status, version, total, placed_at, updated_at, view
  FROM orders WHERE id = lpad(to_hex(:i::bigint), 32, '0')::uuid;
"""


def ensure_installed():
    if os.access(os.path.join(BIN, "postgres"), os.X_OK) and os.access(os.path.join(BIN, "pgbench"), os.X_OK):
        return
    apt_install("postgresql-15", "postgresql-client-15")


def os_user():
    """The unprivileged user PostgreSQL runs as: Debian's `postgres`, else
    `comanda-pg`, made here."""
    for name in ("postgres", "comanda-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "comanda-pg"],
                   check=True)
    return "comanda-pg"


def as_user(user):
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--reset-env"]


def make_template(directory, orders, event, view, restaurant):
    """A cluster in `directory` (made here) holding the schema and `orders`
    orders, stopped and checkpointed: each round copies it."""
    ensure_installed()
    user = os_user()
    os.makedirs(directory)
    shutil.chown(directory, user, user)
    os.chmod(directory, 0o700)
    subprocess.run([*as_user(user), os.path.join(BIN, "initdb"), "-D", directory, "-U", ROLE, "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
    pg = Postgres(directory)
    try:
        pg.psql(SCHEMA)
        pg.psql(PRELOAD, orders=str(orders), event=event, view=view, restaurant=restaurant)
    finally:
        pg.stop()


class Postgres:
    """A postgres on an existing cluster directory, listening on 127.0.0.1
    only (its socket directory is the cluster's own). `prefix`: words run
    before it (["taskset", "-c", "0"]); its backends inherit the core."""

    def __init__(self, data_dir, prefix=()):
        self.dir = data_dir
        self.port = _free_port()
        self.log = open(os.path.join(os.path.dirname(data_dir), os.path.basename(data_dir) + ".log"), "ab")
        self.proc = subprocess.Popen(
            [*prefix, *as_user(os_user()), os.path.join(BIN, "postgres"), "-D", data_dir, "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={data_dir}",
             "-c", "synchronous_commit=on", "-c", "fsync=on"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        end = time.monotonic() + 60
        while subprocess.run([os.path.join(BIN, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
                             ).returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > end:
                self.stop()
                raise RuntimeError(f"postgres did not start; see {self.log.name}")
            time.sleep(0.1)

    @property
    def pid(self):
        return self.proc.pid  # the postmaster: setpriv and taskset exec

    def psql(self, sql, **variables):
        """Runs `sql`, stopping at the first error; `variables` are psql's
        (:'name' quotes one as a literal)."""
        cmd = [os.path.join(BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
               "-p", str(self.port), "-U", ROLE, "-d", "postgres"]
        for name, value in variables.items():
            cmd += ["-v", f"{name}={value}"]
        subprocess.run(cmd, input=sql, text=True, check=True, stdout=subprocess.DEVNULL)

    def pgbench(self, script, clients, duration, variables, prefix=()):
        """pgbench -M prepared running `script` (text) with `clients` clients
        on one thread for `duration` s. Returns req/s, p50/p99 (ms, from every
        transaction's line of --log), errors (failed transactions and aborted
        clients), the server's CPU µs per transaction (the postmaster and
        every child, from when all clients are connected until they are
        gone) and its memory."""
        work = tempfile.mkdtemp(prefix="comanda-pgbench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        try:
            script_path = os.path.join(work, "script.sql")
            with open(script_path, "w") as f:
                f.write(script)
            cmd = [*prefix, os.path.join(BIN, "pgbench"), "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE,
                   "-n", "-M", "prepared", "-c", str(clients), "-j", "1", "-T", str(duration),
                   "-f", script_path, "--log", "--log-prefix", os.path.join(work, "tx")]
            cmd += [f"-D{name}={value}" for name, value in variables.items()]
            # The postmaster's children are its background processes, then
            # a backend per client: pgbench connects every client before its
            # clock starts, and a backend that has ended is still a child
            # until the postmaster has reaped it into its own CPU time.
            background = len(children(self.pid))
            proc = subprocess.Popen([*cmd, "postgres"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            while len(children(self.pid)) < background + clients and proc.poll() is None:
                time.sleep(0.002)
            if proc.poll() is not None:
                raise RuntimeError(f"pgbench ended before its clients were connected: {proc.communicate()[1]}")
            cpu_before = tree_cpu_seconds(self.pid)
            time.sleep(duration * 0.8)
            rss, pss = tree_memory_mib(self.pid)
            out, err = proc.communicate(timeout=duration + 120)
            end = time.monotonic() + 10
            while len(children(self.pid)) > background and time.monotonic() < end:
                time.sleep(0.01)
            cpu = tree_cpu_seconds(self.pid) - cpu_before
            latencies, failed = _read_log(work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if proc.returncode not in (0, 2):  # 2: some clients aborted (counted below)
            raise RuntimeError(f"pgbench failed ({proc.returncode}): {err}")
        tps = float(next(line.split()[2] for line in out.splitlines() if line.startswith("tps = ")))
        aborted = sum(1 for line in err.splitlines() if "aborted" in line)
        return {"rps": tps, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
                "errors": failed + aborted, "cpu_us": cpu / max(len(latencies), 1) * 1e6, "rss": rss, "pss": pss}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: a smart shutdown, which ends with a checkpoint
            try:
                self.proc.wait(120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _read_log(directory):
    """Latencies in ms (sorted) and the failed count from pgbench's --log
    files: `client tx latency_us script epoch epoch_us`, the latency being
    `failed` for a failed transaction."""
    latencies, failed = [], 0
    for name in os.listdir(directory):
        if not name.startswith("tx."):
            continue
        with open(os.path.join(directory, name)) as f:
            for line in f:
                value = line.split(maxsplit=3)[2]
                if value.isdigit():
                    latencies.append(int(value) / 1000)
                else:
                    failed += 1
    latencies.sort()
    return latencies, failed


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
