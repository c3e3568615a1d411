"""scribe.record() in this process (libscribe's scribe_record_* sessions):
a nondeterministic program recorded and replayed, a recording stopped by
Ctrl-C, and recordings alongside replays on other Python threads."""

import os
import re
import signal
import subprocess
import threading
import time

import pytest

import scribe
from conftest import prog, replay


def test_record_in_process(tmp_path, buffer):
    """Recorded without the scribe binary; the replay prints what the
    recording printed, and a second recording prints something else."""
    f = tmp_path / "in.txt"
    f.write_text("the-file-line\n")
    env = dict(os.environ, SCRIBE_BIN="/nonexistent/scribe")   # not used any more
    t = scribe.record([prog("libtrace_rand"), str(f)], trace=str(tmp_path / "a"),
                      stdout=subprocess.PIPE, buffer=buffer, env=env)
    assert t.returncode == 0
    assert re.match(rb"random [0-9a-f]{16}\nfile the-file-line\n$", t.stdout), t.stdout
    assert t.info["complete"]
    t2 = scribe.record([prog("libtrace_rand"), str(f)], trace=str(tmp_path / "b"),
                       stdout=subprocess.PIPE, buffer=buffer)
    assert t2.stdout != t.stdout          # nondeterministic: the test proves something
    # replayed in this process, and by the CLI: the recorded output again
    got = []
    with t.replay(output=lambda fd, data: got.append((fd, data))) as r:
        assert r.run() == 0
    assert b"".join(d for fd, d in got if fd == 1) == t.stdout
    st, out, err = replay(t2)
    assert st == 0 and out.encode() == t2.stdout, err


def test_record_status_and_cwd(tmp_path):
    """The program's exit status, its cwd, its environment."""
    t = scribe.record(["/bin/sh", "-c", 'pwd; echo "$FOO"; exit 7'], trace=str(tmp_path / "t"),
                      cwd=str(tmp_path), env={"FOO": "bar", "PATH": "/usr/bin:/bin"},
                      stdout=subprocess.PIPE)
    assert t.returncode == 7
    assert t.stdout == ("%s\nbar\n" % tmp_path).encode()
    st, out, _ = replay(t)
    assert st == 7 and out.encode() == t.stdout


def test_record_ctrl_c(tmp_path):
    """Ctrl-C while recording: the program gets SIGINT (its group, as the
    terminal would send it), the recording ends cleanly, then
    KeyboardInterrupt; the trace is complete and replays to that death."""
    path = tmp_path / "tick"
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            scribe.record([prog("ticker"), "200"], trace=str(path), stdout=subprocess.DEVNULL)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 8          # 200 ticks would take 10 s
    t = scribe.open(str(path))
    assert t.info["complete"]
    assert os.WIFSIGNALED(t.info["status"]) and os.WTERMSIG(t.info["status"]) == signal.SIGINT
    st, out, _ = replay(t)
    assert st == -signal.SIGINT
    assert out.count("tick ") >= 5


def test_record_beside_replays(tmp_path, rand_trace):
    """A recording on one Python thread while two others replay."""
    results = {}

    def rep(k):
        got = []
        with rand_trace.replay(output=lambda fd, data: got.append(data)) as r:
            results[k] = (r.run(), b"".join(got))

    def rec():
        results["rec"] = scribe.record([prog("ticker"), "10"], trace=str(tmp_path / "tk"),
                                       stdout=subprocess.PIPE)

    ths = [threading.Thread(target=rep, args=(i,)) for i in range(2)]
    ths.append(threading.Thread(target=rec))
    for th in ths:
        th.start()
    for th in ths:
        th.join(120)
    for i in range(2):
        assert results[i] == (0, rand_trace.stdout)
    t = results["rec"]
    assert t.returncode == 0 and t.stdout.count(b"tick ") == 10
    st, out, _ = replay(t)
    assert st == 0 and out.encode() == t.stdout


def test_record_errors(tmp_path):
    with pytest.raises(scribe.RecordError) as e:
        scribe.record([str(tmp_path / "nope")], trace=str(tmp_path / "t"))
    assert e.value.status == 127 and not (tmp_path / "t").exists()
    (tmp_path / "t").mkdir()
    with pytest.raises(scribe.RecordError) as e:
        scribe.record(["/bin/true"], trace=str(tmp_path / "t"))
    assert "already exists" in str(e.value) and e.value.status == 125


def test_record_timeout_cuts(tmp_path):
    """A program that ignores SIGINT, past the timeout: interrupted, then
    killed a second later; the trace is cut there and replays up to it."""
    path = tmp_path / "cut"
    start = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        scribe.record(["/bin/sh", "-c", "trap '' INT; exec \"$0\" 400", prog("ticker")],
                      trace=str(path), stdout=subprocess.DEVNULL, timeout=1)
    assert time.monotonic() - start < 10
    t = scribe.open(str(path))
    assert not t.info["complete"]
    st, out, err = replay(t)
    assert st == 125 and "ends early" in err, err
    assert out.count("tick ") >= 5
