"""Bookmarks (issue 17): one set from another shell while a recording
runs, and run to on replay; a program's own bookmarks (with and without
the syscall buffer); bookmarks in dump and info; bad input."""

import os
import re
import subprocess

import pytest

import scribe
from conftest import prog

STAGE = re.compile(rb"stage (0x[0-9a-f]+)")


def scribe_cmd(*args, **kw):
    return subprocess.run([scribe.find_binary()] + list(args), capture_output=True,
                          timeout=60, **kw)


class Waiting:
    """bookmark_wait recorded in the background, blocked on the stdin
    pipe we hold until go(): the bookmark lands at a known point."""

    def __init__(self, path, buffer, fork=False, program="bookmark_wait"):
        env = dict(os.environ)
        if not buffer:
            env["SCRIBE_NO_BUFFER"] = "1"
        argv = [scribe.find_binary(), "record", "-q", "-o", path, "--", prog(program)]
        self.p = subprocess.Popen(argv + (["fork"] if fork else []), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.out = b""
        want = [b"waiting\n", b"child waiting\n"] if fork else [b"waiting\n"]
        if program != "bookmark_wait":
            want = [b"child waiting\n"]
        lines = []
        while not all(w in lines for w in want):
            line = self.p.stdout.readline()
            assert line, "the program ended early: %r" % self.p.stderr.read()
            lines.append(line)
            self.out += line
        m = STAGE.match(self.out)
        self.stage = int(m.group(1), 16) if m else None

    def go(self):
        """Let it go on and end; its exit status."""
        rest, err = self.p.communicate(b"go\n", timeout=60)
        self.out += rest
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.communicate()


@pytest.fixture
def waiting(tmp_path, buffer):
    made = []

    def start(fork=False, program="bookmark_wait"):
        w = Waiting(str(tmp_path / "wait"), buffer, fork, program)
        made.append(w)
        return w
    yield start
    for w in made:
        w.kill()


def u32(b):
    return int.from_bytes(b, "little")


def test_bookmark_from_another_shell(waiting, tmp_path):
    """`scribe bookmark NAME` while the program waits; replay runs to it:
    the program is before its read, stage is 1, the output so far is
    what it printed before the bookmark; then the replay runs to the
    end with the rest."""
    w = waiting()
    path = str(tmp_path / "wait")
    assert os.path.exists(os.path.join(path, "control"))
    b = scribe_cmd("bookmark", "-t", path, "mid")
    assert b.returncode == 0, b.stderr
    name, pos = b.stdout.decode().split()
    assert name == "mid" and re.fullmatch(r"0:\d+", pos)
    assert w.go() == 0
    assert w.out.endswith(b"waiting\ngot it\ndone\n")
    assert not os.path.exists(os.path.join(path, "control"))   # removed at the end

    t = scribe.open(path)
    [bm] = t.bookmarks
    assert (bm.name, bm.tid, bm.positions) == ("mid", 0, {0: int(pos.split(":")[1])})
    got = []
    with t.replay(output=lambda fd, d: got.append(d)) as r:
        st = r.run_until(bookmark="mid")
        assert st.reason == "match" and (st.stream, st.stream_index) == (0, bm.positions[0])
        assert st.event.name == "read" and st.event.args[0] == 0
        assert st.event.data == b"go\n"              # the line it is about to get
        assert u32(r.read_memory(st.tid, w.stage, 4)) == 1
        assert b"".join(got) == w.out[:w.out.index(b"waiting\n") + 8]
        regs = r.regs(st.tid)
        assert regs.orig_rax == 0 and regs.rdi == 0  # read(0, ...)
        assert r.run() == 0
    assert b"".join(got) == w.out


def test_bookmark_two_domains(waiting, tmp_path):
    """Parent and child (two memory domains) both wait: the bookmark has a
    position in each stream, and the replay stops once both domains are
    parked at theirs, each before its read, stage 1 in both."""
    w = waiting(fork=True)
    path = str(tmp_path / "wait")
    b = scribe_cmd("bookmark", "-t", path)           # default name: bm-1
    assert b.returncode == 0, b.stderr
    assert b.stdout.decode().split()[0] == "bm-1"
    assert w.go() == 0
    t = scribe.open(path)
    [bm] = t.bookmarks
    assert bm.name == "bm-1" and sorted(bm.positions) == [0, 1]
    got = []
    with t.replay(output=lambda fd, d: got.append(d)) as r:
        st = r.run_until(bookmark=bm)
        assert st.reason == "match"
        tasks = r.tasks()
        assert len(tasks) == 2
        for k in tasks:
            assert k.state == "at-event" and k.holder
            regs = r.regs(k.tid)
            assert regs.orig_rax == 0                # each at its read
            assert u32(r.read_memory(k.tid, w.stage, 4)) == 1
        out = b"".join(got)
        assert b"got it" not in out and b"waiting\n" in out and b"child waiting\n" in out
        assert r.run() == 0
    assert sorted(b"".join(got).splitlines()) == sorted(w.out.splitlines())


def test_bookmark_inside_vfork(waiting, tmp_path):
    """A bookmark while a vfork child blocks: the parent has not logged its
    vfork yet (it returns when the child is done), so the child's stream,
    which replay makes only when the parent runs that vfork, is left out of
    the bookmark; the replay stops with the parent alone, before its vfork
    (rather than waiting forever for a child that cannot exist yet)."""
    w = waiting(program="bookmark_vfork")
    path = str(tmp_path / "wait")
    b = scribe_cmd("bookmark", "-t", path, "in-vfork")
    assert b.returncode == 0, b.stderr
    assert w.go() == 0 and w.out == b"parent\nchild waiting\nchild ok\n"
    [bm] = scribe.open(path).bookmarks
    assert list(bm.positions) == [0]
    got = []
    with scribe.open(path).replay(output=lambda fd, d: got.append(d)) as r:
        st = r.run_until(bookmark="in-vfork")
        assert st.reason == "match" and st.event.name == "vfork"
        [k] = r.tasks()
        assert r.regs(k.tid).orig_rax == 58           # SYS_vfork
        assert b"".join(got) == b"parent\n"
        assert r.run() == 0
    assert b"".join(got) == w.out


def test_self_bookmarks(tmp_path, buffer):
    """A program's path calls on /dev/scribe/bookmark/NAME fail with
    ENOENT as they do natively, and add the bookmarks (a bad name adds
    none); replay runs to each: its task, stage N."""
    native = subprocess.run([prog("bookmark_self")], capture_output=True, check=True).stdout
    t = scribe.record([prog("bookmark_self")], trace=str(tmp_path / "self"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0, t.stderr
    assert t.stdout.split(b"\n", 1)[1] == native.split(b"\n", 1)[1]   # (ASLR)
    assert t.stdout.count(b"No such file or directory") == 4
    stage = int(STAGE.match(t.stdout).group(1), 16)
    bms = t.bookmarks
    assert [b.name for b in bms] == ["first", "second", "third"]
    pid = next(t.events()).pid
    assert all(b.tid == pid and b.stream == 0 for b in bms)
    assert bms[0].positions[0] < bms[1].positions[0] < bms[2].positions[0]
    with t.replay(output=lambda fd, d: None) as r:
        for n, b in enumerate(bms, 1):
            st = r.run_until(bookmark=b.name)
            assert st.reason == "match" and st.tid == b.tid
            if buffer:     # the call ran in a batch: the stop ends it
                assert st.stream_index == b.positions[0] + 1
            else:          # before the call itself
                assert st.stream_index == b.positions[0]
                assert st.event.path == "/dev/scribe/bookmark/" + b.name
            assert u32(r.read_memory(st.tid, stage, 4)) == n
        assert r.run() == 0


def test_bookmarks_in_dump_and_info(tmp_path):
    t = scribe.record([prog("bookmark_self")], trace=str(tmp_path / "self"),
                      stdout=subprocess.PIPE)
    pid = next(t.events()).pid
    dump = scribe_cmd("dump", t.path).stdout.decode().splitlines()
    marks = [i for i, l in enumerate(dump) if "--- bookmark " in l]
    assert [dump[i].split()[2] for i in marks] == ["first", "second", "third"]
    for i, b in zip(marks, t.bookmarks):
        assert "(set by task %d)" % pid in dump[i]
        # the next event line is the bookmark's event
        assert dump[i + 1].split()[0] == str(b.positions[0])
    info = scribe_cmd("info", t.path).stdout.decode()
    assert re.search(r"^bookmarks:  first \(set by task %d\) at 0:\d+$" % pid, info, re.M)


def test_bookmark_bad_input(tmp_path, monkeypatch):
    """No recording running: exit 1; a bad or taken name: 125; each one
    `scribe:` line.  A replay to an unknown bookmark, or with another
    condition, fails; a damaged bookmarks file is reported."""
    monkeypatch.setenv("SCRIBE_DIR", str(tmp_path / "empty"))
    b = scribe_cmd("bookmark")
    assert b.returncode == 1 and b.stderr.decode().startswith("scribe: no recording is running")
    assert b.stderr.count(b"\n") == 1
    b = scribe_cmd("bookmark", "bad/name")
    assert b.returncode == 125 and b.stderr.startswith(b"scribe: bad bookmark name")
    assert scribe_cmd("bookmark", "-" * 3).returncode == 125
    assert scribe_cmd("bookmark", "x" * 65).returncode == 125
    assert scribe_cmd("bookmark", "a", "b").returncode == 125

    t = scribe.record([prog("bookmark_self")], trace=str(tmp_path / "done"),
                      stdout=subprocess.PIPE)
    b = scribe_cmd("bookmark", "-t", t.path, "late")
    assert b.returncode == 1 and b"no recording is running in" in b.stderr
    with t.replay(output=lambda fd, d: None) as r:
        with pytest.raises(scribe.Error, match="no bookmark named 'nope'"):
            r.run_until(bookmark="nope")
        with pytest.raises(ValueError):
            r.run_until(bookmark="first", syscall="write")
        assert r.run() == 0
    with open(os.path.join(t.path, "bookmarks"), "a") as f:
        f.write("broken line\n")
    with pytest.raises(scribe.TraceError, match="damaged"):
        t.bookmarks
    i = scribe_cmd("info", t.path)
    assert i.returncode == 125 and b"bookmarks file is damaged" in i.stderr


def test_bookmark_name_taken(waiting, tmp_path):
    w = waiting()
    path = str(tmp_path / "wait")
    assert scribe_cmd("bookmark", "-t", path, "one").returncode == 0
    b = scribe_cmd("bookmark", "-t", path, "one")
    assert b.returncode == 125 and b"named 'one' already" in b.stderr
    # default: the running recording started last under $SCRIBE_DIR
    env = dict(os.environ, SCRIBE_DIR=str(tmp_path))
    b = scribe_cmd("bookmark", "two", env=env)
    assert b.returncode == 0, b.stderr
    assert w.go() == 0
    assert [b.name for b in scribe.open(path).bookmarks] == ["one", "two"]
