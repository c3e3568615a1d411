"""scribe.debug: breakpoints hidden from reads, single steps, watchpoints
(including a write the replay makes itself), on a real recording."""

import os
import subprocess

import scribe
from scribe import debug

from conftest import prog


def symbol(path, name):
    """The offset of a symbol in an ELF file (nm)."""
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    raise AssertionError("no symbol %s in %s" % (name, path))


def image_base(r, pid, real_pid):
    exe = os.readlink("/proc/%d/exe" % real_pid)
    return min(m.start for m in r.maps(pid) if m.path == exe and m.offset == 0)


def test_break_step_watch(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("hello-watch\n")
    t = scribe.record([prog("gdb_threads"), str(src)], trace=str(tmp_path / "tr"),
                      stdout=subprocess.DEVNULL)
    binary = prog("gdb_threads")
    with open(binary, "rb") as f:
        elf = f.read()
    with t.replay() as r:
        r.run_until(kind="syscall")                  # past the exec
        task = r.tasks()[0]
        base = image_base(r, task.pid, task.real_pid)
        visit = base + symbol(binary, "visit")
        debug.add(r, visit, pid=task.pid)
        # the int3 is not seen by reads
        assert r.read_memory(task.tid, visit, 1) == elf[visit - base:visit - base + 1]
        hits = []
        for _ in range(3):
            h = debug.cont(r)
            assert h.reason == "break" and h.addr == visit
            assert r.regs(h.tid).rip == visit
            hits.append(h.tid)
        assert len(set(hits)) == 2                    # both threads hit it
        s = debug.step(r, hits[-1])
        assert s.reason == "step" and s.tid == hits[-1]
        assert r.regs(s.tid).rip != visit
        debug.remove(r, visit)
        # a read() answered from the trace writes the watched buffer
        buf = base + symbol(binary, "buf")
        debug.add(r, buf, kind="write", length=8, pid=task.pid)
        w = debug.cont(r)
        assert w.reason == "watch" and w.addr == buf
        # (the syscall buffer's copy stops after its first byte; a call
        # answered by scribe, after the whole call)
        assert r.read_memory(w.tid, buf, 1) == b"h"
        debug.remove(r, buf, kind="write", length=8)
        assert debug.cont(r).reason == "ended"
