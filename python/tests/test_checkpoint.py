"""Checkpoints of a stopped replay (Replay.checkpoint / restore): a
checkpoint, a run forward, a restore, and a run forward again with
identical results (stops, registers, memory, the program's output); a
checkpoint restored several times; states not supported yet refused with
a message, never copied half."""

import subprocess

import pytest

import scribe
from conftest import prog


def record(tmp_path, buffer, *args):
    t = scribe.record([prog("ckpt_steps")] + list(args), trace=str(tmp_path / "t"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0, t.stderr
    return t


def writes(t):
    return [e for e in t.events(kinds="syscall") if e.name == "write"]


def forward(r, out, n):
    """Run to the next n writes: at each, the stop, every register and the
    line in memory; then the output the program wrote meanwhile."""
    seen = []
    del out[:]
    for _ in range(n):
        st = r.run_until(syscall="write")
        assert st.reason == "match"
        regs = r.regs(st.tid)
        line = r.read_memory(st.tid, regs.rsi, regs.rdx)
        seen.append(((st.stream, st.stream_index, st.tid), dict(regs), line))
    return seen, b"".join(out)


def test_checkpoint_restore_identical(tmp_path, buffer):
    """Forward from a checkpoint twice (restored in between): the same
    stops, registers, memory and output, and the output is the
    recording's."""
    t = record(tmp_path, buffer)
    w = writes(t)
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        st = r.run_until(event=w[5])
        regs0 = dict(r.regs(st.tid))
        ck = r.checkpoint()
        assert (ck.stop.stream, ck.stop.stream_index) == (st.stream, st.stream_index)
        first = forward(r, out, 8)
        lines = t.stdout.splitlines(True)
        assert first[1] == b"".join(lines[5:13])
        assert [s[2] for s in first[0]] == lines[6:14]
        back = r.restore(ck)
        assert (back.stream, back.stream_index) == (st.stream, st.stream_index)
        assert dict(r.regs(st.tid)) == regs0
        tasks = r.tasks()
        assert [(k.tid, k.state, k.holder) for k in tasks] == [(st.tid, "at-event", True)]
        second = forward(r, out, 8)
        assert second == first
        # the program finishes as recorded from the restored copy
        del out[:]
        assert r.run() == 0
        assert b"".join(out) == b"".join(lines[13:])


def test_restore_twice_independent(tmp_path, buffer):
    """Running a restored copy changes its memory; the checkpoint keeps
    its own: a second restore replays the same again, and a later
    checkpoint of the copy is independent of the first."""
    t = record(tmp_path, buffer)
    w = writes(t)
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        st = r.run_until(event=w[3])
        ck = r.checkpoint()
        runs = []
        for _ in range(3):
            r.restore(ck)
            runs.append(forward(r, out, 6))
        assert runs[0] == runs[1] == runs[2]
        # a second checkpoint, further on, restored after the first
        ck2 = r.checkpoint()
        later = forward(r, out, 4)
        r.restore(ck)
        assert forward(r, out, 6) == runs[0]
        r.restore(ck2)
        assert forward(r, out, 4) == later
        # a checkpoint taken at once after a restore (its threads not
        # thawed yet) copies what the restore told them to do
        r.restore(ck)
        ck3 = r.checkpoint()
        assert forward(r, out, 6) == runs[0]
        r.restore(ck3)
        assert forward(r, out, 6) == runs[0]
        ck3.free()
        ck.free()
        ck2.free()
        assert r.run() == 0


def test_checkpoint_refused_clearly(tmp_path):
    """Before the first event (the exec stop) there is nothing to copy
    yet: an Error that says why, and the replay goes on unharmed."""
    t = record(tmp_path, True)
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        with pytest.raises(scribe.Error, match="checkpoint"):
            r.checkpoint()
        assert r.run() == 0
        assert b"".join(out) == t.stdout
        with pytest.raises(scribe.Error):
            r.checkpoint()           # over


def test_checkpoint_fork_tree(tmp_path, buffer):
    """A multi-process trace: stopped at a write of the child while the
    parent waits for its output's turn; both processes are copied, and
    forward from the checkpoint twice gives the same stops, registers,
    memory and output as the recording."""
    t = record(tmp_path, buffer, "fork")
    child = [w for w in writes(t) if w.stream != 0]
    assert len(child) == 20 and len({w.pid for w in child}) == 1
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        st = r.run_until(event=child[5])
        tasks = sorted((k.tid, k.pid, k.stream) for k in r.tasks())
        assert len(tasks) == 2
        ck = r.checkpoint()
        first = forward(r, out, 20)
        lines = t.stdout.splitlines(True)
        # the parent may have passed its first write's boundary already
        # (it waits for its output's turn): count what went out
        n = first[1].count(b"\n")
        assert first[1] == b"".join(lines[5:5 + n]) and n >= 20
        assert all(s[2] in lines[6:] for s in first[0])
        assert len({s[0][2] for s in first[0]}) == 2     # both processes wrote
        for _ in range(2):
            back = r.restore(ck)
            assert (back.stream, back.stream_index) == (st.stream, st.stream_index)
            assert sorted((k.tid, k.pid, k.stream) for k in r.tasks()) == tasks
            again = forward(r, out, 20)
            # the two domains replay in parallel: which reaches its next
            # write first varies, each one's own stops may not
            for stream in (0, 1):
                a = [x for x in first[0] if x[0][0] == stream]
                b = [x for x in again[0] if x[0][0] == stream]
                k = min(len(a), len(b))
                assert a[:k] == b[:k] and k >= 5
            m = min(len(first[1]), len(again[1]))
            assert again[1][:m] == first[1][:m]
        del out[:]
        assert r.run() == 0
        n = again[1].count(b"\n")
        assert b"".join(out) == b"".join(lines[5 + n:])


def test_checkpoint_threads(tmp_path, buffer):
    """A multi-threaded process: stopped at a write of the first thread
    while the second runs its steps too and main waits to join them; the
    threads are recreated in the copy (registers, XSAVE, masks, robust
    list, clear_child_tid: the join after a restore still works), and
    forward from the checkpoint twice is identical, to the recording's
    end."""
    t = record(tmp_path, buffer, "threads")
    w = writes(t)
    tids = sorted({e.tid for e in w})
    assert len(tids) == 3                       # main ("joined") and two threads
    first_thread = [e for e in w if e.tid == tids[1]]
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        st = r.run_until(event=first_thread[3])
        tasks = sorted((k.tid, k.pid, k.state) for k in r.tasks())
        assert len(tasks) >= 2 and len({k[1] for k in tasks}) == 1
        ck = r.checkpoint()
        regs = {k[0]: dict(r.regs(k[0])) for k in tasks}
        xs = {k[0]: r.xsave(k[0]) for k in tasks}
        left = sum(1 for e in w if e.stream_index > st.stream_index)
        first = forward(r, out, left)
        for _ in range(2):
            back = r.restore(ck)
            assert (back.stream, back.stream_index) == (st.stream, st.stream_index)
            assert sorted((k.tid, k.pid, k.state) for k in r.tasks()) == tasks
            assert {k[0]: dict(r.regs(k[0])) for k in tasks} == regs
            assert {k[0]: r.xsave(k[0]) for k in tasks} == xs
            assert forward(r, out, left) == first
        del out[:]
        assert r.run() == 0
        # the last write ran: the output from the checkpoint on is the
        # recording's, to its end (joined ...)
        assert t.stdout.endswith(first[1] + b"".join(out))
        assert b"".join(out).endswith(b"joined thread-a thread-b\n")


def test_checkpoint_refuses_shared_memory(tmp_path):
    """Writable MAP_SHARED memory would be shared by a fork, not copied:
    refused with the reason, and the replay goes on to the recorded end."""
    t = record(tmp_path, True, "shared")
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        r.run_until(syscall="write")
        with pytest.raises(scribe.Error, match="MAP_SHARED"):
            r.checkpoint()
        assert r.run() == 0
        assert b"".join(out) == t.stdout


def test_restore_from_the_exit(tmp_path):
    """Run to the last call (before the end), restore an earlier
    checkpoint, and the program runs to its end as recorded; a session
    that ended cannot restore (its threads are gone): an Error."""
    t = record(tmp_path, False)
    w = writes(t)
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        r.run_until(event=w[5])
        ck = r.checkpoint()
        assert r.run_until(kind="exit").event.name == "exit_group"
        del out[:]
        r.restore(ck)
        assert r.run() == 0
        assert b"".join(out) == b"".join(t.stdout.splitlines(True)[5:])
        with pytest.raises(scribe.Error, match="not stopped|over"):
            r.restore(ck)


def test_fd_tables_refused_after_a_restore(tmp_path):
    """The recorded fd tables are not part of a checkpoint yet: before a
    restore r.fds() answers, after it r.fds() says so instead of giving
    another moment's table."""
    t = record(tmp_path, True)
    w = writes(t)
    with t.replay(output=lambda fd, d: None) as r:
        st = r.run_until(event=w[2])
        pid = r.tasks()[0].pid
        assert any(f.fd == 1 for f in r.fds(pid))
        ck = r.checkpoint()
        r.run_until(syscall="write")
        r.restore(ck)
        with pytest.raises(scribe.Error, match="not kept in checkpoints"):
            r.fds(pid)
        assert st.tid == r.tasks()[0].tid
