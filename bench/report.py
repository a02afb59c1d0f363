#!/usr/bin/python3
"""Turns comanda_bench's JSON into the markdown of docs/performance.md.

    build/comanda_bench --benchmark_format=json > /tmp/b.json
    /usr/bin/python3 bench/report.py /tmp/b.json

Prints the machine, the disk's fsync rate (the physical limit of synced
batches), per workload a throughput table with the ratios engine / raw
RocksDB per (mode, in flight), the 1-in-flight latencies (reported instead of
a ratio), the CPU time per event of each side and of the pipeline's threads,
and the issue's targets, each met or not met.
Standard library only.
"""

import json
import re
import sys

NAME = re.compile(r"^Append/(?P<side>\w+)/(?P<workload>\w+)/(?P<mode>sync|async)/in_flight:(?P<n>\d+)")
MODES = ("sync", "async")
IN_FLIGHT = (1, 8, 64, 512)
WORKLOADS = (
    ("order", "Orders placed (order_placed event)"),
    ("gps_ping", "GPS pings (driver_location_reported event)"),
)

RATIO_TARGET = 0.8  # engine / raw queued WriteBatch at 64 and 512 in flight, both modes
LATENCY_TARGET = 1.3  # 1 in flight, sync: engine p50 and p99 within this multiple of one synced WriteBatch
RATE_TARGETS = {"order": 150_000, "gps_ping": 300_000}  # durable events/s at 512 in flight


def load(path):
    """Returns (context, {(side, workload, mode, n): run}, fsync run or None)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    runs, medians, fsync = {}, {}, None
    for b in doc.get("benchmarks", []):
        base = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        target = medians if b.get("run_type") == "aggregate" else runs
        if base.startswith("Fsync/"):
            if target is medians or fsync is None:
                fsync = b
            continue
        m = NAME.match(base)
        if m:
            target[(m["side"], m["workload"], m["mode"], int(m["n"]))] = b
    runs.update(medians)  # with --benchmark_repetitions, the median stands for the run
    return doc.get("context", {}), runs, fsync


def rate(run):
    """Events per second, or None when absent or failed."""
    if not run or run.get("error_occurred"):
        return None
    return run.get("items_per_second")


def fmt_rate(run):
    if run is None:
        return "–"
    if run.get("error_occurred"):
        return "error: " + run.get("error_message", "?")
    r = run["items_per_second"]
    return f"{r / 1e6:.2f}M" if r >= 1e6 else f"{r / 1e3:.1f}k"


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def fmt_us(run, key):
    if not run or run.get("error_occurred") or key not in run:
        return "–"
    v = run[key]
    return f"{v / 1000:.2f} ms" if v >= 1000 else f"{v:.0f} µs"


def machine(context, fsync):
    lines = ["### Machine", ""]
    cpus = context.get("num_cpus", "?")
    lines.append(f"- CPU: {context.get('cpu_model', '?')}, {cpus} cores at {context.get('mhz_per_cpu', '?')} MHz")
    lines.append(f"- Kernel: {context.get('kernel', '?')}; RocksDB {context.get('rocksdb', '?')}")
    lines.append(f"- Benchmark directory: {context.get('bench_dir', '?')}, {context.get('bench_filesystem', '?')}")
    load_avg = context.get("load_avg")
    if load_avg:
        lines.append("- Load average at start: " + ", ".join(f"{x:.2f}" for x in load_avg))
    lines.append(f"- Run: {context.get('date', '?')} on {context.get('host_name', '?')}")
    lines.append("")
    lines.append("### Physical limit")
    lines.append("")
    if rate(fsync):
        lines.append(
            f"4 KiB appended, then `fdatasync`, in a loop on the same filesystem: "
            f"**{fsync['items_per_second']:,.0f} syncs/s** (p50 {fmt_us(fsync, 'p50_us')}, "
            f"p99 {fmt_us(fsync, 'p99_us')}). No synced writer, engine or raw, completes more "
            f"synced batches per second than this; at N in flight, durable events/s are bounded "
            f"by about N times it.")
    else:
        lines.append("The fsync probe did not run.")
    lines.append("")
    return lines


def throughput_table(runs, workload):
    lines = [
        "| mode | in flight | engine (events/s) | raw queued | engine / raw queued "
        "| raw WriteBatch, N per batch | engine / raw WriteBatch | raw group commit "
        "| engine / group commit | engine events per batch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in MODES:
        for n in IN_FLIGHT:
            eng = runs.get(("engine", workload, mode, n))
            rq = runs.get(("raw_queued", workload, mode, n))
            wb = runs.get(("raw_write_batch", workload, mode, n))
            gc = runs.get(("raw_group_commit", workload, mode, n))
            if eng is None and rq is None and wb is None and gc is None:
                continue
            if n == 1:  # latency instead of a ratio
                r_rq = r_wb = r_gc = "see latency"
            else:
                r_rq, r_wb, r_gc = (fmt_ratio(rate(eng), rate(x)) for x in (rq, wb, gc))
            per_batch = f"{eng['events_per_batch']:.1f}" if rate(eng) and "events_per_batch" in eng else "–"
            lines.append(f"| {mode} | {n} | {fmt_rate(eng)} | {fmt_rate(rq)} | {r_rq} | {fmt_rate(wb)} | {r_wb} "
                         f"| {fmt_rate(gc)} | {r_gc} | {per_batch} |")
    return lines


def latency_table(runs, workload):
    lines = [
        "| mode | engine p50 | engine p99 | one WriteBatch p50 | one WriteBatch p99 "
        "| engine / WriteBatch p50 | engine / WriteBatch p99 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in MODES:
        eng = runs.get(("engine", workload, mode, 1))
        wb = runs.get(("raw_write_batch", workload, mode, 1))
        if eng is None and wb is None:
            continue
        cells = [fmt_us(eng, "p50_us"), fmt_us(eng, "p99_us")]
        ratios = [fmt_ratio(key_of(eng, k), key_of(wb, k)) + "×" for k in ("p50_us", "p99_us")]
        lines.append(f"| {mode} | {cells[0]} | {cells[1]} | {fmt_us(wb, 'p50_us')} | {fmt_us(wb, 'p99_us')} "
                     f"| {ratios[0]} | {ratios[1]} |")
    return lines


def cpu_table(runs, workload):
    """CPU time per event, all of the process's threads and the named ones,
    engine beside raw queued: on a machine whose cores are all busy the
    engine / raw ratio cannot exceed raw's CPU per event over the engine's."""
    lines = [
        "| mode | in flight | engine CPU µs/event | sequencer | writer | publisher | clients "
        "| cores busy | raw queued CPU µs/event | raw writer | clients | cores busy "
        "| raw / engine CPU per event |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def cell(run, key):
        v = key_of(run, key)
        return "–" if v is None else f"{v:.2f}"

    def busy(run):
        v, r = key_of(run, "cpu_us"), rate(run)
        return "–" if v is None or not r else f"{v * r / 1e6:.2f}"

    for mode in MODES:
        for n in (64, 512):
            eng = runs.get(("engine", workload, mode, n))
            rq = runs.get(("raw_queued", workload, mode, n))
            if key_of(eng, "cpu_us") is None and key_of(rq, "cpu_us") is None:
                continue
            lines.append(
                f"| {mode} | {n} | {cell(eng, 'cpu_us')} | {cell(eng, 'cpu_us_sequencer')} "
                f"| {cell(eng, 'cpu_us_writer')} | {cell(eng, 'cpu_us_publisher')} "
                f"| {cell(eng, 'cpu_us_bench-client')} | {busy(eng)} | {cell(rq, 'cpu_us')} "
                f"| {cell(rq, 'cpu_us_raw-writer')} | {cell(rq, 'cpu_us_bench-client')} | {busy(rq)} "
                f"| {fmt_ratio(key_of(rq, 'cpu_us'), key_of(eng, 'cpu_us'))} |")
    return lines


def key_of(run, key):
    if not run or run.get("error_occurred"):
        return None
    return run.get(key)


def verdict(ok):
    return "not measured" if ok is None else ("met" if ok else "**not met**")


def targets(runs):
    lines = ["### Targets", "", "| target | measured | status |", "|---|---:|---|"]
    names = {"order": "orders", "gps_ping": "GPS pings"}
    for workload, what in names.items():
        for mode in MODES:
            for n in (64, 512):
                eng = rate(runs.get(("engine", workload, mode, n)))
                rq = rate(runs.get(("raw_queued", workload, mode, n)))
                wb = rate(runs.get(("raw_write_batch", workload, mode, n)))
                ok = None if eng is None or not rq else eng / rq >= RATIO_TARGET
                lines.append(f"| {what}, {mode}, {n} in flight: engine / raw queued WriteBatch ≥ {RATIO_TARGET} "
                             f"| {fmt_ratio(eng, rq)} (upper bound, N per batch: {fmt_ratio(eng, wb)}) "
                             f"| {verdict(ok)} |")
    for workload, what in names.items():
        goal = RATE_TARGETS[workload]
        eng = runs.get(("engine", workload, "sync", 512))
        r = rate(eng)
        lines.append(f"| ≥ {goal // 1000}k durable {what}/s at 512 in flight | {fmt_rate(eng)}{'/s' if r else ''} "
                     f"| {verdict(None if r is None else r >= goal)} |")
    for workload, what in names.items():
        eng = runs.get(("engine", workload, "sync", 1))
        wb = runs.get(("raw_write_batch", workload, "sync", 1))
        for key in ("p50_us", "p99_us"):
            a, b = key_of(eng, key), key_of(wb, key)
            ok = None if a is None or not b else a <= LATENCY_TARGET * b
            lines.append(f"| {what}, sync, 1 in flight: engine {key[:3]} ≤ {LATENCY_TARGET}× one synced "
                         f"WriteBatch | {fmt_us(eng, key)} vs {fmt_us(wb, key)} ({fmt_ratio(a, b)}×) "
                         f"| {verdict(ok)} |")
    lines.append("")
    return lines


def report(path):
    context, runs, fsync = load(path)
    out = machine(context, fsync)
    for workload, title in WORKLOADS:
        if not any(k[1] == workload for k in runs):
            continue
        size = next((r["value_bytes"] for k, r in sorted(runs.items())
                     if k[1] == workload and "value_bytes" in r), None)
        out.append(f"### {title}" + (f", {size:.0f}-byte stored value" if size else ""))
        out.append("")
        out.append("Throughput in events per second; a ratio above 1 means the engine is faster.")
        out.append("")
        out += throughput_table(runs, workload)
        out.append("")
        out.append("At 1 in flight, latency from submit (or the start of the WriteBatch) to completion, "
                   "over every command:")
        out.append("")
        out += latency_table(runs, workload)
        out.append("")
        cpu = cpu_table(runs, workload)
        if len(cpu) > 2:
            out.append("CPU time per event over the measured span (`cpu_us` counters), every thread of "
                       "the process and the pipeline's own; cores busy = CPU per event × events/s:")
            out.append("")
            out += cpu
            out.append("")
    out += targets(runs)
    return "\n".join(out)


def main(argv):
    if len(argv) != 2:
        print("usage: report.py BENCH_JSON", file=sys.stderr)
        return 2
    print(report(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
