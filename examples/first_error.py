#!/usr/bin/env python3
"""first_error.py [-n N] [-w WORD] TRACE -- where did the program first
complain?

Finds the first write to stderr (fd 2) whose bytes contain "error" (any
case; -w another word), replays the trace to just before that write, and
prints the writing task's registers, the bytes in its memory that it is
about to write, and the N (default 10) events of that task before it.
Exit status 0 when found, 1 when the trace has no such write.

A write the syscall buffer made runs inside a batch, where a replay
cannot stop: the replay stops before the batch and says so."""

import argparse
import collections
import sys

import scribe

WRITES = ("write", "pwrite64", "writev", "pwritev", "pwritev2")


def first_error(trace, word, keep):
    """The first write of `word` to stderr, and up to `keep` events of
    its task before it (oldest first); (None, []) if there is none."""
    recent = collections.defaultdict(lambda: collections.deque(maxlen=keep))
    for e in trace.events():
        if (e.kind == "syscall" and e.name in WRITES and e.data and
                (e.stderr or (e.args and e.args[0] == 2)) and word in e.data.lower()):
            return e, list(recent[e.tid])
        if e.kind != "buffer":
            recent[e.tid].append(e)
    return None, []


def describe(e):
    what = e.name
    if e.kind == "syscall":
        args = ", ".join(hex(a) if a > 0xffff else str(a) for a in e.args[:3])
        what = "%s(%s) = %s" % (e.name, args, e.result)
        if e.path:
            what += "  %s" % e.path
        elif e.data:
            what += "  %r" % e.data[:40]
    return "%8d  %s%s" % (e.index, what, "  (buffered)" if e.buffered else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trace")
    ap.add_argument("-w", "--word", default="error")
    ap.add_argument("-n", "--events", type=int, default=10)
    a = ap.parse_args()
    t = scribe.open(a.trace)
    w, before = first_error(t, a.word.lower().encode(), a.events)
    if w is None:
        print("no write of %r to stderr in %s" % (a.word, a.trace))
        return 1
    print("first write of %r to stderr: event %d, pid %d tid %d" % (a.word, w.index, w.pid, w.tid))
    print("  %r" % w.data)
    with t.replay(output=lambda fd, data: None) as r:
        st = r.run_until(event=w)
        if st.reason != "match":
            print("the replay did not get there: %s %s" % (st.reason, st.message or ""))
            return 1
        regs = r.regs(w.tid)
        if w.buffered:
            print("(a buffered call: stopped before its batch, event %d)" % st.event.index)
        print("registers of tid %d:" % w.tid)
        names = list(regs.keys())
        for i in range(0, len(names), 3):
            print("  " + "   ".join("%-8s %#018x" % (n, regs[n]) for n in names[i:i + 3]))
        if not w.buffered and w.name == "write":
            print("buffer at %#x: %r" % (regs.rsi, r.read_memory(w.tid, regs.rsi, regs.rdx)))
        print("the %d events of tid %d before it:" % (len(before), w.tid))
        for e in before:
            print(describe(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
