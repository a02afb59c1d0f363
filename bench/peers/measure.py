"""What bench/peers/side_by_side.py reads off the machine: a server's CPU
time and memory from /proc (one process, or a process and its children, as
PostgreSQL's postmaster and backends), percentiles, and the disk's fsync
rate, the physical limit of every durable write in the table."""

import os
import re
import time

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()  # the name may hold spaces and parentheses


def cpu_seconds(pid):
    """utime + stime of a process: every thread's, the living and the ended."""
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid):
    """The pids whose parent is `pid` (a walk of /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if int(_stat_fields(entry)[1]) == pid:
                found.append(int(entry))
        except (OSError, IndexError):
            continue  # ended while we looked
    return found


def tree_cpu_seconds(pid):
    """CPU time of `pid` and its children, counting those already ended:
    a child's time moves into its parent's cutime + cstime when the parent
    reaps it (the postmaster reaps its backends), so a difference of two
    readings holds every backend that lived between them."""
    fields = _stat_fields(pid)
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))
    for child in children(pid):
        try:
            f = _stat_fields(child)
            total += sum(int(f[i]) for i in (11, 12, 13, 14))
        except OSError:
            pass  # ended between the walk and the read: reaped into the parent's
    return total / TICKS


def _status_kib(pid, field, path="status"):
    with open(f"/proc/{pid}/{path}") as f:
        m = re.search(rf"^{field}:\s+(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else 0


def rss_mib(pid):
    return _status_kib(pid, "VmRSS") / 1024


def tree_memory_mib(pid):
    """(RSS, PSS) summed over `pid` and its children, in MiB. The RSS sum
    counts a shared page (PostgreSQL's shared_buffers) once per process that
    touched it; PSS splits it among them, so its sum is what the group holds."""
    rss = pss = 0
    for p in [pid, *children(pid)]:
        try:
            rss += _status_kib(p, "VmRSS")
            pss += _status_kib(p, "Pss", "smaps_rollup")
        except OSError:
            pass
    return rss / 1024, pss / 1024


def wait_until_idle(read_cpu, quiet=0.02, interval=0.5, timeout=120):
    """Waits until `read_cpu()` (CPU seconds: cpu_seconds(pid), ...) grows
    by less than `quiet` s in each of two `interval`s in a row: a server
    still loading in the background after it answers (comandad reading its
    snapshot) would otherwise charge that work to the first measurement.
    Returns the seconds waited."""
    started = time.monotonic()
    calm, last = 0, read_cpu()
    while calm < 2 and time.monotonic() - started < timeout:
        time.sleep(interval)
        now = read_cpu()
        calm = calm + 1 if now - last < quiet else 0
        last = now
    return time.monotonic() - started


def percentile(sorted_values, p):
    """The value at fraction `p` (0.5, 0.99) of an already sorted list."""
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def fsync_rate(directory, seconds=3.0):
    """fdatasyncs per second of 4 KiB appended each time, one after another,
    in a file in `directory`: how many durable writes a second the disk
    under the servers allows to a writer that waits for each (group commit
    is how a server does more requests than this)."""
    path = os.path.join(directory, "fsync-probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    block = b"\xa5" * 4096
    count = 0
    try:
        start = time.monotonic()
        end = start + seconds
        while time.monotonic() < end:
            os.write(fd, block)
            os.fdatasync(fd)
            count += 1
        return count / (time.monotonic() - start)
    finally:
        os.close(fd)
        os.unlink(path)
