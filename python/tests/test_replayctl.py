"""Replay control from Python (Trace.replay): run to an event and read
memory, registers at a signal, the exit status, a divergence that stops
(and stays inspectable), a pause from another thread, step, callbacks."""

import os
import signal
import subprocess
import threading

import pytest

import scribe
from conftest import prog


def native(argv):
    return subprocess.run(argv, capture_output=True, check=True).stdout


def random_write(t):
    """The write that printed the random line, found in the events."""
    return next(e for e in t.events(kinds="syscall")
                if e.name == "write" and e.data and e.data.startswith(b"random "))


def test_nondeterministic_recorded(rand_trace):
    """The program differs run to run; its recording has its output."""
    p = prog("libtrace_rand")
    f = rand_trace.info["argv"][1]
    assert native([p, f]) != native([p, f])
    assert rand_trace.stdout.startswith(b"random ")


def test_run_to_write_reads_buffer(rand_trace):
    """Run to the write found in the events: the buffer in the task's
    memory is the line the recording printed, and its registers are
    those of that call."""
    w = random_write(rand_trace)
    line = rand_trace.stdout.splitlines(True)[0]
    assert w.data == line
    got = []
    with rand_trace.replay(output=lambda fd, d: got.append((fd, d))) as r:
        st = r.run_until(event=w)
        assert st.reason == "match" and st.kind == "syscall" and st.tid == w.tid
        assert st.event.index == w.index
        regs = r.regs(w.tid)
        assert regs.orig_rax == w.nr and regs.rdi == 1 and regs.rdx == len(line)
        assert regs.rsi == w.args[1]
        assert r.read_memory(w.tid, regs.rsi, regs.rdx) == line
        assert got == []                     # the write has not run yet
        tasks = r.tasks()
        assert [(k.tid, k.state, k.holder) for k in tasks] == [(w.tid, "at-event", True)]
        assert len(r.xsave(w.tid)) >= 512
        maps = r.maps(w.pid)
        assert any(m.start <= regs.rip < m.end and "x" in m.perms for m in maps)
        assert any(m.start <= regs.rsp < m.end and m.path == "[stack]" for m in maps)
        assert r.run() == rand_trace.returncode == 0
    assert b"".join(d for fd, d in got if fd == 1) == rand_trace.stdout


def test_run_until_global_index_and_syscall_name(rand_trace):
    """The same stop by global index, and by syscall name."""
    w = random_write(rand_trace)
    with rand_trace.replay(output=lambda fd, d: None) as r:
        st = r.run_until(event=w.index)
        assert (st.stream, st.stream_index) == (w.stream, w.stream_index)
    with rand_trace.replay(output=lambda fd, d: None) as r:
        st = r.run_until(syscall="write")
        assert st.event.name == "write" and st.stream_index == w.stream_index


def test_run_until_exit(rand_trace):
    """kind="exit": stopped before the call that ends the program."""
    with rand_trace.replay(output=lambda fd, d: None) as r:
        st = r.run_until(kind="exit")
        assert st.reason == "match" and st.event.name == "exit_group"
        assert r.tasks()[0].state == "at-event"
        assert r.regs(st.tid).rdi == 0           # exit_group(0)
        assert r.run() == 0


def test_step_moves_forward(rand_trace):
    """step() stops at successive boundaries, in stream order."""
    with rand_trace.replay(output=lambda fd, d: None) as r:
        seen = [r.step().stream_index for _ in range(5)]
        assert seen == sorted(seen) and len(set(seen)) == 5
        assert r.run() == 0


def test_registers_at_signal(tmp_path, buffer):
    """Stopped at the delivery of SIGUSR1: its number, and sane registers
    (rip in executable memory, rsp in the stack)."""
    t = scribe.record([prog("sigusr_self")], trace=str(tmp_path / "sig"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0
    with t.replay(output=lambda fd, d: None) as r:
        st = r.run_until(kind="signal")
        assert st.reason == "match" and st.nr == signal.SIGUSR1
        assert st.event.name == "SIGUSR1"
        regs = r.regs(st.tid)
        maps = r.maps(st.event.pid)
        assert any(m.start <= regs.rip < m.end and "x" in m.perms for m in maps)
        assert any(m.start <= regs.rsp < m.end and m.path == "[stack]" for m in maps)
        st2 = r.run_until(signal=signal.SIGUSR1)      # the second one
        assert st2.stream_index > st.stream_index
        assert r.run() == 0


def test_edited_trace_diverges_and_stays_inspectable(rand_trace, tmp_path):
    """A getrandom result changed: the program prints the new value, then
    the replay stops with DivergeError at the write that differs; the
    task is still there to look at."""
    g = next(e for e in rand_trace.events(kinds="syscall") if e.name == "getrandom")
    new = bytes.fromhex("0011223344556677")
    t2 = rand_trace.edit().set_result(g, 8, new).save(str(tmp_path / "edited"))
    w = random_write(t2)
    out, seen = [], []
    with t2.replay(output=lambda fd, d: out.append(d)) as r:
        r.on("diverge", seen.append)
        with pytest.raises(scribe.DivergeError) as e:
            r.run()
        assert b"".join(out) == b"random 0011223344556677\n"
        assert e.value.event.index == w.index
        assert e.value.expected.startswith('write(1, "random ')
        assert "diverged" in e.value.got and "different bytes" in e.value.got
        assert len(seen) == 1 and seen[0].reason == "diverged"
        regs = r.regs(w.tid)
        assert r.read_memory(w.tid, regs.rsi, regs.rdx) == b"random 0011223344556677\n"
        assert r.tasks()[0].tid == w.tid
        with pytest.raises(scribe.Error):
            r.run()                          # it cannot go on


def test_pause_from_another_thread(tmp_path, buffer):
    """A replay computing for a second with no event stops when another
    thread pauses it, shows the task stopped where it ran, then
    finishes with the recorded output."""
    t = scribe.record([prog("replayctl_busy")], trace=str(tmp_path / "busy"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0
    out = []
    with t.replay(output=lambda fd, d: out.append(d)) as r:
        timer = threading.Timer(0.3, r.pause)
        timer.start()
        st = r.run_until(kind="exit")
        timer.join()
        assert st.reason == "paused"
        [task] = r.tasks()
        assert task.state == "stopped"
        assert r.regs(task.tid).rip
        assert r.run() == 0
    assert b"".join(out) == t.stdout


def test_syscall_callbacks(rand_trace):
    """on("syscall", fn, name="write") sees every write, in order, before
    it runs."""
    writes = [e for e in rand_trace.events(kinds="syscall")
              if e.name == "write" and not e.buffered]
    seen = []
    with rand_trace.replay(output=lambda fd, d: None) as r:
        r.on("syscall", lambda st: seen.append(r.read_memory(
            st.tid, r.regs(st.tid).rsi, r.regs(st.tid).rdx)), name="write")
        assert r.run() == 0
    assert seen == [w.data for w in writes]


def test_ctrl_c_pauses_then_raises(tmp_path):
    """SIGINT while run() waits: the replay is paused, KeyboardInterrupt
    is raised, and the replay can still finish."""
    t = scribe.record([prog("replayctl_busy")], trace=str(tmp_path / "busy"),
                      stdout=subprocess.PIPE)
    assert t.returncode == 0
    with t.replay(output=lambda fd, d: None) as r:
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            r.run()
        timer.join()
        assert r.stop.reason == "paused"
        assert r.tasks()[0].state == "stopped"
        assert r.run() == 0


def test_two_sessions_at_once(rand_trace, tmp_path):
    """Two replays in one process, stopped and inspected in turn: each
    reads its own program's memory."""
    g = next(e for e in rand_trace.events(kinds="syscall") if e.name == "getrandom")
    t2 = rand_trace.edit().set_result(g, 8, bytes(8)).save(str(tmp_path / "zeros"))
    with rand_trace.replay(output=lambda fd, d: None) as a, \
            t2.replay(output=lambda fd, d: None) as b:
        sa = a.run_until(syscall="write")
        sb = b.run_until(syscall="write")
        ra, rb = a.regs(sa.tid), b.regs(sb.tid)
        assert a.read_memory(sa.tid, ra.rsi, ra.rdx) == rand_trace.stdout.splitlines(True)[0]
        assert b.read_memory(sb.tid, rb.rsi, rb.rdx) == b"random 0000000000000000\n"
        assert a.run() == 0
        with pytest.raises(scribe.DivergeError):
            b.run()
