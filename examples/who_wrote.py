#!/usr/bin/env python3
"""who_wrote.py FILE TRACE -- which process wrote which bytes of FILE.

Follows every process's descriptors through the trace (open, openat,
creat, dup*, fcntl F_DUPFD, close, and the table a fork copies) and each
descriptor's offset (lseek results, O_APPEND, bytes written), then prints
one line per write to FILE: the event's global index (the trace's order;
it keeps no wall-clock times), pid, tid, syscall and the byte range
[start, end) it covered.

Offsets are approximate where the trace does not say them: a file opened
by a buffered call (whose flags the trace does not keep: the line says
so) is taken as opened without O_APPEND, at offset 0; relative paths
are taken from the recording's first working directory, and a write with
O_APPEND starts where this script last saw the file end."""

import os
import sys

import scribe

O_APPEND = 0o2000
O_TRUNC = 0o1000
F_DUPFD, F_DUPFD_CLOEXEC = 0, 1030
AT_FDCWD = -100


def s32(v):
    v &= 0xffffffff
    return v - (1 << 32) if v >= 1 << 31 else v


class Fd:
    def __init__(self, path, append, known):
        self.path, self.append, self.offset, self.known = path, append, 0, known


def resolve(path, cwd):
    return os.path.normpath(path if path.startswith("/") else os.path.join(cwd, path))


def writes_to(target, trace):
    """Yield (index, pid, tid, name, start, end, offset_known) for each
    write to target."""
    cwd = trace.info["cwd"] or "/"
    fds = {}                                   # pid -> {fd: Fd}
    pid_of = {}                                # tid -> pid
    sizes = {}                                 # path -> end of the last write seen
    for e in trace.events(kinds=("syscall", "task")):
        pid_of.setdefault(e.tid, e.pid)
        if e.kind == "task":
            # a new process starts with its creator's descriptors, sharing
            # their offsets; the task event comes first in the creator's
            # stream, at the fork, then again at the head of the child's
            if e.pid == e.tid and e.tid not in fds:
                fds[e.tid] = dict(fds.get(pid_of.get(e.result, e.result), {}))
            continue
        table = fds.setdefault(e.pid, {})
        r, a = e.result, e.args
        if r is None or (-4096 < r < 0):
            continue
        if e.name in ("open", "openat", "creat") and e.path is not None:
            flags = 0
            if not e.buffered:
                flags = a[1] if e.name == "open" else a[2] if e.name == "openat" else O_TRUNC
            f = table[r] = Fd(resolve(e.path, cwd), bool(flags & O_APPEND), not e.buffered)
            if f.append:
                f.offset = sizes.get(f.path, 0)
        elif e.name in ("dup", "dup2", "dup3") and a and s32(a[0]) in table:
            table[r] = table[s32(a[0])]
        elif e.name == "fcntl" and len(a) > 1 and a[1] in (F_DUPFD, F_DUPFD_CLOEXEC) \
                and s32(a[0]) in table:
            table[r] = table[s32(a[0])]
        elif e.name == "close" and a:
            table.pop(s32(a[0]), None)
        elif e.name == "lseek" and a and s32(a[0]) in table:
            table[s32(a[0])].offset = r
        elif e.name in ("write", "writev", "pwrite64", "pwritev") and a and s32(a[0]) in table:
            f = table[s32(a[0])]
            if f.path != target:
                if e.name in ("write", "writev"):
                    f.offset += r
                continue
            start = a[3] if e.name in ("pwrite64", "pwritev") and len(a) > 3 else \
                sizes.get(f.path, 0) if f.append else f.offset
            if e.name in ("write", "writev"):
                f.offset = start + r
            sizes[f.path] = max(sizes.get(f.path, 0), start + r)
            yield (e.index, e.pid, e.tid, e.name, start, start + r, f.known)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        trace = scribe.open(argv[2])
        target = resolve(argv[1], os.getcwd())
        found = False
        for index, pid, tid, name, start, end, known in writes_to(target, trace):
            found = True
            print("event %d: pid %d tid %d %s bytes [%d, %d)%s" % (
                index, pid, tid, name, start, end,
                "" if known else " (offset guessed: the file was opened by a buffered "
                                 "call, whose flags the trace does not keep)"))
    except scribe.Error as e:
        print("who_wrote: %s" % e, file=sys.stderr)
        return 1
    if not found:
        print("who_wrote: no process of the trace wrote %s" % target, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
