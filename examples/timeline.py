#!/usr/bin/env python3
"""timeline.py TRACE OUT.json -- a trace as a Chrome/Perfetto timeline.

Writes the JSON trace event format (chrome://tracing, ui.perfetto.dev):
every recorded process is a process track and every thread a thread
track, named after the program it ran; system calls are slices ("X"),
signals, task switches and preemptions instants ("i"), execs and exits
instants too.  A trace keeps the order of events, not their times, so
the time axis is the event's position: each event of a thread takes 1
us after the previous one of its stream, and a syscall's slice lasts
until its thread's next event."""

import json
import sys

import scribe

INSTANTS = {"signal", "switch", "preempt", "exec", "exit", "task", "join", "release"}


def timeline(trace):
    """The trace's events in the JSON trace event format (a dict)."""
    out, names, clock, open_slice = [], {}, {}, {}
    for e in trace.events():
        if e.kind == "buffer":
            continue
        ts = clock[e.stream] = clock.get(e.stream, 0) + 1
        prev = open_slice.pop(e.tid, None)
        if prev is not None:
            prev["dur"] = max(ts - prev["ts"], 0.5)
        if e.kind == "exec" and e.path:
            names[e.pid] = names[e.tid] = e.path.rsplit("/", 1)[-1]
        names.setdefault(e.pid, "pid %d" % e.pid)
        names.setdefault(e.tid, names[e.pid])
        base = {"pid": e.pid, "tid": e.tid, "ts": ts,
                "args": {"index": e.index, "stream": e.stream,
                         "stream_index": e.stream_index}}
        if e.kind == "syscall":
            base["args"]["result"] = e.result
            if e.buffered:
                base["args"]["buffered"] = True
            s = dict(base, ph="X", name=e.name, cat="syscall", dur=0.5)
            out.append(s)
            open_slice[e.tid] = s
        elif e.kind in INSTANTS:
            out.append(dict(base, ph="i", s="t", name="%s %s" % (e.kind, e.name)
                            if e.kind == "signal" else e.kind, cat=e.kind))
    meta = []
    for pid in sorted({ev["pid"] for ev in out}):
        meta.append({"ph": "M", "name": "process_name", "pid": pid, "tid": pid,
                     "args": {"name": "%s (%d)" % (names.get(pid, "?"), pid)}})
    for pid, tid in sorted({(ev["pid"], ev["tid"]) for ev in out}):
        meta.append({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid,
                     "args": {"name": "%s [%d]" % (names.get(tid, "?"), tid)}})
    return {"traceEvents": meta + out, "displayTimeUnit": "ns",
            "otherData": {"trace": trace.path, "argv": trace.info["argv"],
                          "time": "event order, not wall-clock time"}}


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        doc = timeline(scribe.open(argv[1]))
    except scribe.Error as e:
        print("timeline: %s" % e, file=sys.stderr)
        return 1
    with open(argv[2], "w") as f:
        json.dump(doc, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
