"""The example tools in examples/, run on real recordings."""

import json
import os
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
