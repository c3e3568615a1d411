"""The example tools in examples/, run on real recordings."""

import json
import os
import re
import subprocess
import sys

import scribe
from conftest import EXAMPLES, TOP, prog


def run_example(name, *args):
    env = dict(os.environ, PYTHONPATH=os.path.join(TOP, "python"))
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)] + list(args),
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_syscall_stats(rand_trace):
    out = run_example("syscall_stats.py", rand_trace.path)
    pid = next(rand_trace.events()).pid
    assert "process %d:" % pid in out
    row = next(l for l in out.splitlines() if l.split()[0] == "write")
    assert int(row.split()[1]) == 2                      # two lines printed
    assert int(row.split()[4]) == len(rand_trace.stdout)  # their bytes


def test_who_wrote(tmp_path, buffer):
    f = tmp_path / "out.txt"
    t = scribe.record(["/bin/sh", "-c", "printf hello > %s; (printf world >> %s) & wait" % (f, f)],
                      trace=str(tmp_path / "ww"), buffer=buffer)
    assert f.read_text() == "helloworld"
    out = run_example("who_wrote.py", str(f), t.path).splitlines()
    assert len(out) == 2, out
    pids = [int(l.split()[3]) for l in out]
    assert pids[0] != pids[1]                 # the shell, then its subshell
    assert "bytes [0, 5)" in out[0]
    if buffer and "guessed" in out[1]:
        # the shell's open(O_APPEND) was a buffered call: the trace does
        # not keep its flags, so the offset is a guess, and says so
        assert "write bytes [0, 5) (offset guessed" in out[1]
    else:
        assert "bytes [5, 10)" in out[1]


def test_timeline(tmp_path):
    t = scribe.record([prog("fork_exec")], trace=str(tmp_path / "fe"),
                      stdout=subprocess.PIPE)
    out = tmp_path / "tl.json"
    run_example("timeline.py", t.path, str(out))
    doc = json.loads(out.read_text())
    evs = doc["traceEvents"]
    procs = {e["pid"] for e in evs if e["ph"] == "M" and e["name"] == "process_name"}
    threads = {(e["pid"], e["tid"]) for e in evs
               if e["ph"] == "M" and e["name"] == "thread_name"}
    assert procs == {e.pid for e in t.events()} and len(procs) >= 3
    assert {(e.pid, e.tid) for e in t.events()} == threads
    slices = [e for e in evs if e["ph"] == "X"]
    assert any(e["name"] == "execve" for e in slices) and all(e["dur"] > 0 for e in slices)
    instants = {e["cat"] for e in evs if e["ph"] == "i"}
    assert {"exec", "exit", "task"} <= instants


def test_first_error(tmp_path, buffer):
    """first_error.py finds the shell's complaint on stderr, replays to
    just before that write: the registers are the write's, the buffer in
    memory holds the line, and the task's events before it are listed."""
    line = "fatal ERROR: disk on fire\n"
    t = scribe.record(["/bin/sh", "-c", "echo ok; ls / >/dev/null; echo error-free; "
                       "echo '%s' >&2; exit 3" % line.strip()],
                      trace=str(tmp_path / "fe"), stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 3 and t.stderr == line.encode()
    out = run_example("first_error.py", "-n", "5", t.path)
    w = next(e for e in t.events(kinds="syscall") if e.stderr)
    assert "first write of 'error' to stderr: event %d, pid %d tid %d" % (w.index, w.pid, w.tid) \
        in out
    table = out.split("registers of tid %d:\n" % w.tid)[1].split("buffer at")[0]
    regs = dict(re.findall(r"(\w+) +(0x[0-9a-f]{16})", table))
    assert len(regs) == 27
    assert int(regs["orig_rax"], 16) == w.nr and int(regs["rdx"], 16) == len(line)
    assert "buffer at %#x: %r" % (int(regs["rsi"], 16), line.encode()) in out
    listed = out.split("before it:\n")[1].splitlines()
    assert len(listed) == 5
    indexes = [int(l.split()[0]) for l in listed]
    assert indexes == sorted(indexes) and indexes[-1] < w.index
    # "error-free" went to stdout: not the one found
    assert b"error-free" in t.stdout


def test_first_error_none(rand_trace):
    env = dict(os.environ, PYTHONPATH=os.path.join(TOP, "python"))
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, "first_error.py"),
                        rand_trace.path], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 1 and p.stdout.startswith("no write of 'error' to stderr")
