"""Going live (Replay.go_live, issue 18): a program writes a numbered,
timed line to a file twenty times, sleeping after each; the replay stops
before its 10th sleep and goes live.  The live process must be untraced, exit with the
program's status, and go on writing the file at the recorded offset,
with live times."""

import os
import subprocess
import time

import pytest

import scribe

PROG = r"""
import os, sys, time
os.closerange(3, 1024)
f = open(sys.argv[1], "w")
for i in range(20):
    f.write("%d %.6f\n" % (i, time.time())); f.flush()
    if i == 15:
        st = dict(l.split(":", 1) for l in open("/proc/self/status"))
        # (as long as the recorded line: the file is today's, and the
        # live run writes over the recording's bytes)
        f.write("tracer %8s\n" % st["TracerPid"].strip()); f.flush()
    time.sleep(0.01)
sys.exit(5)
"""


def test_go_live_file_offset_and_status(tmp_path, buffer):
    src = tmp_path / "w.py"
    src.write_text(PROG)
    out = tmp_path / "out.txt"
    t = scribe.record(["/usr/bin/python3", str(src), str(out)], trace=str(tmp_path / "tr"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 5, t.stderr
    recorded = out.read_text().splitlines()
    assert len(recorded) == 21 and recorded[16].startswith("tracer ")
    assert recorded[16].split() != ["tracer", "0"]                # traced when recorded
    time.sleep(0.05)                     # live times must be later
    sleeps = 0

    def tenth_sleep(stop):
        nonlocal sleeps
        sleeps += 1
        return sleeps == 10

    with t.replay(live=True) as r:
        # (its writes to the file may be buffered: not stops)
        st = r.run_until(syscall="clock_nanosleep", predicate=tenth_sleep)
        assert st.reason == "match"
        before = time.time()
        pid = r.go_live()
        assert r.live_message == ("the live processes do not have their recorded pids "
                                  "(no pid namespace yet)")
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 5
    lines = out.read_text().splitlines()
    assert len(lines) == 21, lines
    assert lines[:10] == recorded[:10]               # written before going live
    assert [l.split()[0] for l in lines[:16]] == [str(i) for i in range(16)]
    for line in lines[10:16]:                        # computed after: live times
        assert float(line.split()[1]) >= before, (line, before)
    assert lines[16].split() == ["tracer", "0"]


def test_go_live_refuses_a_pipe(tmp_path):
    src = tmp_path / "p.py"
    src.write_text("import os, sys\nos.closerange(3, 1024)\nr, w = os.pipe()\n"
                   "for i in range(5):\n    try:\n        os.write(w, b'x')\n"
                   "    except OSError:\n        sys.exit(2)\nsys.exit(0)\n")
    t = scribe.record(["/usr/bin/python3", str(src)], trace=str(tmp_path / "tr"),
                      stdout=subprocess.PIPE, buffer=False)
    assert t.returncode == 0, t.stderr
    with t.replay(live=True) as r:
        r.run_until(syscall="write")
        with pytest.raises(scribe.Error, match=r"cannot go live: fd 3 .*pipe.*fd 4 .*pipe"):
            r.go_live()
        assert r.tasks()                             # nothing changed: still replaying
        pid = r.go_live(force=True)
        assert "closed" in r.live_message
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 2    # EBADF: closed


def test_go_live_needs_a_live_session(tmp_path):
    """A replay opened without live=True keeps scribe's seccomp filter in
    the program, so it cannot go live: go_live says how to open it, and
    a live session refuses checkpoints."""
    t = scribe.record(["/bin/true"], trace=str(tmp_path / "t"))
    with t.replay(output=lambda fd, data: None) as r:
        with pytest.raises(scribe.Error, match="live=True"):
            r.go_live()
    with t.replay(output=lambda fd, data: None, live=True) as r:
        with pytest.raises(scribe.Error, match="SCRIBE_REPLAY_LIVE"):
            r.checkpoint()
