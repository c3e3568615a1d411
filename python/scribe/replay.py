"""Controlling a replay: Trace.replay() -> Replay (libscribe's
scribe_replay_* sessions, include/scribe.h).

    with trace.replay() as r:
        w = next(e for e in trace.events(kinds="syscall") if e.name == "write")
        r.run_until(event=w)                   # stopped before the write runs
        regs = r.regs(w.tid)
        print(r.read_memory(w.tid, regs.rsi, regs.rdx))
        status = r.run()                       # to the end: the exit status

A replay stops at an event boundary: a task about to run its next recorded
event (a syscall at its entry, a signal at its delivery), every other task
stopped too.  Calls the syscall buffer made inside a batch are not
boundaries: stopping at one stops before its batch."""

import collections
import ctypes
import os

from . import _native as N
from .errors import DivergeError, Error, TraceError

Task = collections.namedtuple("Task", "tid pid real_tid real_pid stream state holder")
Task.__doc__ = """A task of a stopped replay: recorded tid and pid, its real ones in this
replay, its memory domain's stream, its state ("at-event": holds its
domain and is about to run its next event; "waiting": for its turn;
"stopped": stopped where it ran, by a pause; "dead": gone, its exit not
yet matched) and whether it holds its domain."""

Mapping = collections.namedtuple("Mapping", "start end perms offset path")
Mapping.__doc__ = """One line of a process's memory map (/proc/PID/maps): start and end
addresses, permissions ("r-xp"), file offset, and the file's path (""
for anonymous memory, "[stack]", "[heap]"...)."""


class Regs:
    """A task's general registers (x86-64 names: rax ... r15, rip, rsp,
    eflags, orig_rax, fs_base, gs_base, cs, ss, ds, es, fs, gs) as int
    attributes; dict(regs) gives them all."""

    __slots__ = N.REG_NAMES

    def __init__(self, c):
        """From a struct scribe_regs."""
        for n in N.REG_NAMES:
            setattr(self, n, getattr(c, n))

    def keys(self):
        """The register names."""
        return list(N.REG_NAMES)

    def __getitem__(self, name):
        return getattr(self, name)

    def __repr__(self):
        return "<Regs rip=%#x rsp=%#x rax=%#x>" % (self.rip, self.rsp, self.rax)


class Stop:
    """Where a replay stopped.

    Attributes:
      reason        "start", "match" (the condition), "paused", "ended",
                    "diverged" or "error"
      stream, stream_index
                    the event about to run (match, diverged): the identity
                    Event.stream / Event.stream_index give
      tid           the recorded tid of the task at it
      kind, nr      match: its kind ("syscall"...) and syscall / signal
                    number (-1 for other kinds)
      status        ended: the program's wait status
      expected      diverged: the trace's next event, as dump prints it
      message       diverged, error: the line `scribe replay` prints
      event         match, diverged: the Event at the stop (looked up in
                    the trace on first use), or None
    """

    def __init__(self, c, trace):
        """From a struct scribe_stop (copied: its strings die with it)."""
        self.reason = N.STOP_REASONS.get(c.reason, str(c.reason))
        self.stream = c.stream
        self.stream_index = c.stream_index
        self.tid = c.tid
        self.kind = N.KIND_NAMES.get(c.kind)
        self.nr = c.nr
        self.status = c.status
        self.expected = N.text(c.expected)
        self.message = N.text(c.message)
        self._trace = trace
        self._event = False

    @property
    def event(self):
        """The trace's Event at this stop (None if it has none)."""
        if self._event is False:
            self._event = None
            if self.reason in ("match", "diverged"):
                for e in self._trace.events():
                    if (e.stream, e.stream_index, e.sub) == (self.stream, self.stream_index, 0):
                        self._event = e
                        break
        return self._event

    def __repr__(self):
        return "<Stop %s stream %d event %d tid %d>" % (self.reason, self.stream,
                                                       self.stream_index, self.tid)


def _exit_code(status):
    """A wait status as an exit status: the code, or -signal."""
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return status


class Replay:
    """A replay of a trace that stops, is inspected, and goes on.  Make
    one with Trace.replay(); use it in a `with` block (or call close()):
    closing kills the replayed program.

    output: None (the program's output goes to this process's fds 1 and
    2) or a callable(fd, data) called with each piece it writes."""

    def __init__(self, trace, output=None, live=False):
        self.trace = trace
        self.L = N.lib()
        self.h = ctypes.c_void_p()
        self.stop = None
        self._handlers = []
        self._checkpoints = []             # checkpoint.py: freed on close
        self._out = None
        opts = N.ReplayOpts()
        opts.size = ctypes.sizeof(opts)
        if output is not None:
            def out(ctx, fd, data, n):
                output(fd, ctypes.string_at(data, n))
            self._out = N.OUTPUT_FN(out)      # kept alive with the session
            opts.output = self._out
        if live:
            opts.flags = N.REPLAY_LIVE
        rc = self.L.scribe_replay_open(N.fspath(trace.path), ctypes.byref(opts),
                                       ctypes.byref(self.h))
        if rc < 0:
            msg = self._msg()
            self.close()
            raise TraceError(msg, rc, trace.path)

    # ---- lifecycle ----

    def close(self):
        """Kill the replayed program and end the session (idempotent)."""
        if self.h:
            for ck in self._checkpoints:
                ck.free()
            self._checkpoints = []
            self.L.scribe_replay_close(self.h)
            self.h = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _msg(self):
        """The session's last message."""
        return N.text(self.L.scribe_replay_error(self.h)) or "replay failed"

    def _live(self):
        """Raise Error if the session is closed."""
        if not self.h:
            raise Error("the replay is closed")

    # ---- running ----

    def on(self, what, fn, name=None):
        """Call fn(stop) on an occasion: "diverge" (before DivergeError is
        raised), or "syscall" (each syscall event, or those named `name`,
        met by run(): the replay stops before each one)."""
        if what not in ("diverge", "syscall"):
            raise ValueError("on(): 'diverge' or 'syscall', not %r" % (what,))
        self._handlers.append((what, fn, name))
        return self

    def _until(self, event=None, syscall=None, kind=None, tid=None, signal=None, step=False,
               bookmark=None):
        """A struct scribe_until from run_until's arguments."""
        u = N.Until()
        u.size = ctypes.sizeof(u)
        u.nr = -1
        if bookmark is not None:
            name = getattr(bookmark, "name", bookmark)
            u.what = N.UNTIL_BOOKMARK
            u.bookmark = name.encode() if isinstance(name, str) else bytes(name)
            self._keep = u.bookmark        # alive while the library reads it
        if step:
            u.what |= N.UNTIL_NEXT
        if event is not None:
            if hasattr(event, "stream"):
                u.what |= N.UNTIL_EVENT
                u.stream, u.stream_index = event.stream, event.stream_index
            else:
                u.what |= N.UNTIL_INDEX
                u.index = int(event)
        if syscall is not None:
            u.what |= N.UNTIL_KINDS | N.UNTIL_NR
            u.kinds = 1 << N.KINDS["syscall"]
            u.nr = syscall if isinstance(syscall, int) else _syscall_nr(self.trace, syscall)
        if signal is not None:
            u.what |= N.UNTIL_KINDS | N.UNTIL_NR
            u.kinds = 1 << N.KINDS["signal"]
            u.nr = int(signal)
        if kind is not None:
            u.what |= N.UNTIL_KINDS
            u.kinds |= 1 << N.KINDS[kind]
        if tid is not None:
            u.what |= N.UNTIL_TID
            u.tid = tid
        return u

    def _go(self, until):
        """Resume, wait (GIL released, Ctrl-C honoured), return the Stop."""
        self._live()
        rc = self.L.scribe_replay_resume(self.h, until)
        if rc == N.E_STATE:
            raise Error(self._msg())
        if rc < 0:
            raise TraceError(self._msg(), rc, self.trace.path)
        return self._wait()

    def _wait(self):
        """Wait for the stop in 100 ms slices (Ctrl-C pauses, then
        raises); raise DivergeError / TraceError for a failed replay."""
        c = N.CStop()
        c.size = ctypes.sizeof(c)
        try:
            while True:
                rc = self.L.scribe_replay_wait(self.h, 100, ctypes.byref(c))
                if rc != N.E_AGAIN:
                    break
        except KeyboardInterrupt:
            # stop the replay where it is, then let the interrupt through
            self.L.scribe_replay_pause(self.h)
            self.L.scribe_replay_wait(self.h, -1, ctypes.byref(c))
            self.stop = Stop(c, self.trace)
            raise
        self.stop = Stop(c, self.trace)
        if rc == N.E_DIVERGED:
            for what, fn, _ in self._handlers:
                if what == "diverge":
                    fn(self.stop)
            raise DivergeError(self.stop.message, event=self.stop.event,
                               expected=self.stop.expected, got=self.stop.message)
        if rc < 0:
            raise TraceError(self.stop.message or self._msg(), rc, self.trace.path)
        return self.stop

    def run_until(self, event=None, syscall=None, kind=None, tid=None, signal=None,
                  predicate=None, bookmark=None):
        """Run until the next event boundary that matches every condition
        given, and return the Stop (reason "match"; "ended" if the
        program ended first).

        event: an Event (its stream and place in it) or a global index:
        stop before it (or at the next boundary of its stream after it);
        syscall: a name ("write") or number; signal: a signal number;
        kind: "syscall", "signal", "exec", "exit" (before the exit or
        exit_group call that ends a task), "rdtsc"...; tid: that
        recorded task's next event; predicate: a callable(stop) -> bool,
        tried at each boundary that matches the rest; bookmark: a name
        or a Bookmark (Trace.bookmarks), alone: each domain parks at its
        position, and the Stop comes when all are there (for a program's
        own bookmark, the Stop is its task's, before the call that set
        it).  Raises
        DivergeError if the program departs from the trace (the replay
        stays inspectable), TraceError if the replay fails."""
        if bookmark is not None and (event, syscall, kind, tid, signal,
                                     predicate) != (None,) * 6:
            raise ValueError("run_until(): bookmark= goes with no other condition")
        u = self._until(event, syscall, kind, tid, signal, bookmark=bookmark)
        if predicate is None:
            if not u.what:
                raise ValueError("run_until(): no condition given (run() goes to the end)")
            return self._go(u)
        if not u.what:
            u.what = N.UNTIL_NEXT
        while True:
            st = self._go(u)
            if st.reason != "match" or predicate(st):
                return st

    def step(self):
        """Run to the next event boundary of any task; the Stop."""
        return self._go(self._until(step=True))

    def run(self):
        """Run to the end and return the program's exit status (its code,
        or -signal).  With "syscall" handlers (on()), stops before each
        matching call and calls them on the way."""
        if self.stop is not None and self.stop.reason == "ended":
            return _exit_code(self.stop.status)      # over already
        calls = [(fn, name) for what, fn, name in self._handlers if what == "syscall"]
        if calls:
            names = {name for _, name in calls}
            one = next(iter(names)) if len(names) == 1 else None
            while True:
                # one name: stop only at those calls; else at every call
                u = self._until(syscall=one) if one else self._until(kind="syscall")
                st = self._go(u)
                if st.reason != "match":
                    break
                callname = _syscall_name(self.trace, st.nr)
                for fn, name in calls:
                    if name is None or name == callname:
                        fn(st)
        else:
            st = self._go(None)
        if st.reason != "ended":
            raise Error("the replay stopped (%s) before the end" % st.reason)
        return _exit_code(st.status)

    def pause(self):
        """Stop the replay as soon as possible; from any thread.  The
        thread waiting in run_until / run gets a Stop with reason
        "paused".  Does nothing once the replay is closed."""
        h = self.h
        if h:
            self.L.scribe_replay_pause(h)

    # ---- checkpoints (checkpoint.py) ----

    def checkpoint(self):
        """A Checkpoint of the replay where it is stopped: its processes
        forked and frozen, with the engine's state.  Raises Error if the
        state cannot be copied yet (writable MAP_SHARED memory, the start
        stop...): the message says why."""
        from . import checkpoint
        return checkpoint.take(self)

    def restore(self, ck):
        """Kill the current program and go on from a fresh copy of
        Checkpoint ck (it stays usable: restore it again later); returns
        the Stop it was taken at, where the replay now is.  The replay
        must still be live: not run to its end (stop before it, e.g.
        run_until(kind="exit")) nor diverged."""
        from . import checkpoint
        return checkpoint.restore(self, ck)

    # ---- inspecting ----

    def _check(self, rc):
        """A return code as a value, or KeyError (no such task) / Error."""
        if rc == N.E_NOTASK:
            raise KeyError(self._msg())
        if rc < 0:
            raise Error(self._msg())
        return rc

    def tasks(self):
        """The tasks of the stopped replay: a list of Task."""
        self._live()
        buf = (N.CTask * 256)()
        n = self._check(self.L.scribe_replay_tasks(self.h, buf, 256))
        return [Task(t.tid, t.pid, t.real_tid, t.real_pid, t.stream,
                     N.TASK_STATES.get(t.state, t.state), bool(t.holder))
                for t in buf[:min(n, 256)]]

    def regs(self, tid):
        """The general registers (Regs) of recorded task `tid`."""
        self._live()
        c = N.CRegs()
        self._check(self.L.scribe_replay_regs(self.h, tid, ctypes.byref(c)))
        return Regs(c)

    def xsave(self, tid):
        """The XSAVE area (FPU, SSE, AVX state) of task `tid`, as bytes."""
        self._live()
        buf = ctypes.create_string_buffer(65536)
        n = self._check(self.L.scribe_replay_xsave(self.h, tid, buf, len(buf)))
        return buf.raw[:n]

    def read_memory(self, tid, addr, n):
        """n bytes of task `tid`'s memory at addr (fewer if it ends)."""
        self._live()
        buf = ctypes.create_string_buffer(max(n, 1))
        got = self._check(self.L.scribe_replay_read(self.h, tid, addr, buf, n))
        return buf.raw[:got]

    def fds(self, pid):
        """The recorded fd table of process `pid` at this stop: a list of
        scribe.Fd in fd order (scribe/fds.py says what each holds)."""
        from .fds import replay_fds
        self._live()
        return replay_fds(self, pid)

    def go_live(self, force=False):
        """Let the program run on live and untraced from this stop; the
        pid of its first process, to os.waitpid (scribe/live.py)."""
        from .live import go_live
        self._live()
        return go_live(self, force)

    def maps(self, pid):
        """The memory map of recorded process `pid`: a list of Mapping."""
        self._live()
        cap = 1 << 20
        buf = ctypes.create_string_buffer(cap)
        n = self._check(self.L.scribe_replay_maps(self.h, pid, buf, cap))
        out = []
        for line in buf.raw[:min(n, cap - 1)].decode(errors="replace").splitlines():
            f = line.split(None, 5)
            if len(f) < 5:
                continue
            lo, hi = f[0].split("-")
            out.append(Mapping(int(lo, 16), int(hi, 16), f[1], int(f[2], 16),
                               f[5] if len(f) > 5 else ""))
        return out


def _syscall_nr(trace, name):
    """The number of syscall `name`, from the trace's own events (the
    library names calls by the kernel's table)."""
    for e in trace.events(kinds="syscall"):
        if e.name == name:
            return e.nr
    raise ValueError("the trace has no %s call" % name)


def _syscall_name(trace, nr):
    """The name of syscall number nr, from the trace's own events."""
    for e in trace.events(kinds="syscall"):
        if e.nr == nr:
            return e.name
    return None
