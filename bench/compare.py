#!/usr/bin/python3
"""Compares the engine / raw queued ratios of two comanda_bench runs, each made
with --benchmark_repetitions (three or more), side by side: for every
workload, mode and number in flight, the ratio of each repetition (the engine
and raw queued sides of one repetition are measured seconds apart), then the
minimum and median before, the median after, and whether the median after is
at least the minimum before (within the noise of the repetitions).

    build/comanda_bench --benchmark_format=json --benchmark_repetitions=3 > before.json
    (the other build) --benchmark_format=json --benchmark_repetitions=3 > after.json
    /usr/bin/python3 bench/compare.py before.json after.json

Several runs of each side pool their repetitions: pass them comma-separated,
`before1.json,before2.json after1.json,after2.json`.

Standard library only.
"""

import json
import re
import statistics
import sys

NAME = re.compile(r"^Append/(?P<side>\w+)/(?P<workload>\w+)/(?P<mode>sync|async)/in_flight:(?P<n>\d+)")


def ratios(path):
    """{(workload, mode, n): [engine / raw queued per repetition]}, and the
    engine's events/s per repetition."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    rates = {}
    for b in doc.get("benchmarks", []):
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        m = NAME.match(b.get("run_name", b["name"]))
        if m and m["side"] in ("engine", "raw_queued"):
            key = (m["workload"], m["mode"], int(m["n"]))
            rates.setdefault(key, {}).setdefault(m["side"], {})[b.get("repetition_index", 0)] = \
                b["items_per_second"]
    out, engine = {}, {}
    for key, sides in rates.items():
        reps = sorted(set(sides.get("engine", {})) & set(sides.get("raw_queued", {})))
        out[key] = [sides["engine"][r] / sides["raw_queued"][r] for r in reps]
        engine[key] = [sides["engine"][r] for r in reps]
    return out, engine


def pooled(paths):
    """ratios() of several runs, their repetitions together."""
    out, engine = {}, {}
    for path in paths.split(","):
        r, e = ratios(path)
        for key in r:
            out.setdefault(key, []).extend(r[key])
            engine.setdefault(key, []).extend(e[key])
    return out, engine


def main(before_paths, after_paths):
    before, before_rate = pooled(before_paths)
    after, after_rate = pooled(after_paths)
    print("| workload | mode | in flight | ratios before | ratios after | min before | median before "
          "| median after | engine events/s, median before → after | within noise |")
    print("|---|---|---:|---|---|---:|---:|---:|---:|---|")
    worst = True
    for key in sorted(set(before) & set(after), key=lambda k: (k[0], k[1] != "sync", k[2])):
        b, a = before[key], after[key]
        if not b or not a:
            continue
        ok = statistics.median(a) >= min(b)
        worst &= ok
        fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)
        print(f"| {key[0]} | {key[1]} | {key[2]} | {fmt(b)} | {fmt(a)} | {min(b):.2f} "
              f"| {statistics.median(b):.2f} | {statistics.median(a):.2f} "
              f"| {statistics.median(before_rate[key]) / 1000:.1f}k → "
              f"{statistics.median(after_rate[key]) / 1000:.1f}k | {'yes' if ok else '**no**'} |")
    print()
    print("every median after is at least the minimum before" if worst else
          "some medians after are below the minimum before")
    return 0 if worst else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
