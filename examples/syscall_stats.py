#!/usr/bin/env python3
"""syscall_stats.py TRACE -- count a trace's system calls by process.

For each recorded process (pid), one line per syscall name: how many
calls, how many failed, how many the syscall buffer made without a ptrace
stop, and the bytes they read or wrote (their results, for the calls
that move data).  The trace keeps no timestamps per event (its order is
what replay needs, not durations), so instead of times the table gives
each syscall's share of the process's events, which is where a
recording's overhead goes.

Run from a checkout: PYTHONPATH=python examples/syscall_stats.py TRACE"""

import collections
import sys

import scribe

DATA_CALLS = {"read", "write", "pread64", "pwrite64", "readv", "writev", "recvfrom",
              "sendto", "recvmsg", "sendmsg", "getrandom", "getdents64", "sendfile",
              "copy_file_range", "splice"}


def stats(trace):
    """{pid: {name: Counter(calls, failed, buffered, bytes)}} and the
    number of events of each pid."""
    table = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    events = collections.Counter()
    for e in trace.events():
        events[e.pid] += 1
        if e.kind != "syscall":
            continue
        c = table[e.pid][e.name]
        c["calls"] += 1
        c["buffered"] += e.buffered
        if e.result is not None and -4096 < e.result < 0:
            c["failed"] += 1
        elif e.result is not None and e.name in DATA_CALLS:
            c["bytes"] += e.result
    return table, events


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        table, events = stats(scribe.open(argv[1]))
    except scribe.Error as e:
        print("syscall_stats: %s" % e, file=sys.stderr)
        return 1
    for pid in sorted(table):
        print("process %d: %d events" % (pid, events[pid]))
        print("  %-20s %8s %8s %8s %12s %7s" % ("syscall", "calls", "failed", "buffered",
                                                "bytes", "share"))
        rows = sorted(table[pid].items(), key=lambda kv: (-kv[1]["calls"], kv[0]))
        for name, c in rows:
            print("  %-20s %8d %8d %8d %12d %6.1f%%" % (
                name, c["calls"], c["failed"], c["buffered"], c["bytes"],
                100.0 * c["calls"] / events[pid]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
