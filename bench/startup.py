#!/usr/bin/python3
"""Start-up time of comandad on a data directory: from exec to the first
answered /healthz, and the RSS then. Each start ends with a clean stop
(SIGTERM), which writes the snapshots the next start reads, or with kill -9
(--kill), which leaves the background ones. With --no-views, views/ is
removed before each start: the whole log is replayed.

  bench/startup.py --data /tmp/start10m [--starts 3] [--kill] [--wait S] [--no-views]
                   [-- --snapshot-every N]

The data directory is used as it is (make a 10M-event one with
`COMANDA_BENCH_EVENTS=10000000 COMANDA_BENCH_DATA_DIR=DIR build/comanda_bench
--benchmark_filter=Rebuild/raw_scan`). Prints one line per start and what
comandad said about its snapshots."""

import argparse
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start_once(binary, data, kill, timeout, wait, extra):
    log_path = os.path.join(os.path.dirname(os.path.abspath(data)), "startup.stderr.log")
    with open(log_path, "wb") as err:
        began = time.monotonic()
        proc = subprocess.Popen([binary, "--data", data, "--listen", "127.0.0.1:0", "--dev", *extra],
                                stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        line = proc.stdout.readline().decode()
        url = line.split("listening on ")[1].split()[0]
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
                    position = json.loads(r.read())["position"]
                    break
            except OSError:
                if time.monotonic() - began > timeout:
                    raise SystemExit("comandad did not answer /healthz in time")
                time.sleep(0.01)
        ready = time.monotonic() - began
        rss = rss_mib(proc.pid)
        time.sleep(wait)
        if kill:
            proc.kill()
        else:
            proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
        stopped = time.monotonic() - began - ready - wait
    with open(log_path, encoding="utf-8", errors="replace") as f:
        said = [l.strip() for l in f if "snapshot" in l or "replayed" in l or "rebuilt" in l]
    return ready, rss, stopped, position, said


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--kill", action="store_true", help="stop each start with kill -9")
    ap.add_argument("--no-views", action="store_true", help="remove views/ before each start")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--wait", type=float, default=0, help="seconds to serve before stopping")
    ap.add_argument("extra", nargs="*", help="more comandad flags (after --)")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "comandad"))
    args = ap.parse_args()
    for n in range(args.starts):
        if args.no_views:
            shutil.rmtree(os.path.join(args.data, "views"), ignore_errors=True)
        ready, rss, stopped, position, said = start_once(args.binary, args.data, args.kill, args.timeout,
                                                          args.wait, args.extra)
        print(f"start {n + 1}: ready after {ready:.2f} s, RSS {rss:.0f} MiB, {position} events; "
              f"{'killed' if args.kill else f'clean stop in {stopped:.2f} s'}")
        for line in said:
            print("   ", line)


if __name__ == "__main__":
    main()
