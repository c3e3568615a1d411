"""Traces and their events (scribe.open, Trace, Event)."""

import ctypes

from . import _native as N
from .errors import TraceError

BATCH = 256


class Event:
    """One event of a trace, as plain Python values (copied out of the
    library, so an Event stays valid after the iteration moves on).

    Attributes:
      index         global index: the position in the order the library
                    walks a trace (and `scribe dump` prints it): streams in
                    ascending number, each in recorded order, a buffered
                    batch followed by its calls
      stream, stream_index, sub
                    the event's identity: its memory domain's log, its
                    number there (dump's first column), and for a call the
                    syscall buffer made, its 1-based place in the batch
                    (0 otherwise)
      pid, tid      recorded process (thread group) and thread ids
      kind          "syscall", "signal", "exec", "exit", "task", "switch",
                    "preempt", "join", "release", "rdtsc" or "buffer"
      name          syscall name ("write"), signal name ("SIGUSR1"), or
                    the kind for other events
      nr            syscall or signal number, -1 for other kinds
      args          tuple of the syscall's arguments (a buffered call
                    keeps only some: its first, or all for calls replay
                    makes again); signal: (where it was delivered: 1
                    fault, 2 after a syscall, 3 at the next syscall, 4
                    fatal, 5 at a signature; its ip); task: (clone flags,
                    domain); switch, release, join: (group,); exec: the
                    new program's argv (strings)
      result        syscall result (negative errno on failure; None if
                    the call never returned); exit: wait status; rdtsc:
                    the counter; task: the creator's tid
      data          bytes the call read (memory it wrote: a read's buffer,
                    getrandom's bytes) or wrote (a write's buffer); None
      data_in       True when data is what the call handed over (writes)
      data_total    for writes: how many bytes in all (data may keep only
                    the first ones: see `partial`)
      partial       data holds only the first bytes of data_total
      data_addr     where the call's data went in memory (traced calls)
      regions       list of (addr, bytes): every piece of memory the call
                    wrote
      path          first path argument, or the program of an exec
      buffered      the syscall buffer made the call (no ptrace stop)
      stdout, stderr  the call wrote to the recording's stdout / stderr
      text          the line `scribe dump` prints (events(text=True) only)
    """

    __slots__ = ("index", "stream", "stream_index", "sub", "pid", "tid", "kind", "name",
                 "nr", "args", "result", "data", "data_in", "data_total", "partial",
                 "data_addr", "regions", "path", "buffered", "stdout", "stderr", "text",
                 "flags")

    def __init__(self, c):
        f = c.flags
        self.index = c.index if c.index != 2**64 - 1 else None
        self.stream, self.stream_index, self.sub = c.stream, c.stream_index, c.sub
        self.pid, self.tid = c.pid, c.tid
        self.kind = N.KIND_NAMES.get(c.kind, "unknown")
        self.name = N.text(c.name)
        self.nr = c.nr
        if self.kind == "exec":
            self.args = tuple(N.text(c.argv[i]) for i in range(c.argc))
        else:
            self.args = tuple(c.args[i] for i in range(c.nargs))
        self.flags = f
        if self.kind == "syscall" and not f & N.EVF_RESULT:
            self.result = None
        else:
            self.result = c.result
        self.data = ctypes.string_at(c.data, c.data_len) if c.data else None
        self.data_in = bool(f & N.EVF_DATA_IN)
        self.data_total = c.data_total
        self.partial = bool(f & N.EVF_PARTIAL)
        self.data_addr = c.data_addr
        self.regions = [(c.regions[i].addr, ctypes.string_at(c.regions[i].data, c.regions[i].len))
                        for i in range(c.nregions)]
        self.path = N.text(c.path)
        self.buffered = bool(f & N.EVF_BUFFERED)
        self.stdout = bool(f & N.EVF_STDOUT)
        self.stderr = bool(f & N.EVF_STDERR)
        self.text = N.text(c.text)

    @property
    def ref(self):
        """(stream, stream_index, sub): what edits name the event by."""
        return (self.stream, self.stream_index, self.sub)

    def __repr__(self):
        r = "" if self.result is None else " = %r" % self.result
        return "<Event %s %s:%d%s [%d] %s %s%s>" % (
            self.index, self.stream, self.stream_index,
            ".%d" % self.sub if self.sub else "", self.tid, self.kind, self.name, r)


def _kind_mask(kinds):
    """The SCRIBE_KIND_BIT mask of kind names (None: 0, all kinds)."""
    if kinds is None:
        return 0
    if isinstance(kinds, str):
        kinds = [kinds]
    mask = 0
    for k in kinds:
        if k not in N.KINDS:
            raise ValueError("unknown event kind %r (one of %s)" % (k, ", ".join(N.KINDS)))
        mask |= 1 << N.KINDS[k]
    return mask


class _Handle:
    """An open scribe_trace, closed when done with."""

    def __init__(self, path, flags=0, kinds=0, tid=0):
        self.L = N.lib()
        self.h = ctypes.c_void_p()
        opts = N.OpenOpts(ctypes.sizeof(N.OpenOpts), flags, kinds, tid or 0, -1)
        rc = self.L.scribe_trace_open(N.fspath(path), ctypes.byref(opts), ctypes.byref(self.h))
        if rc < 0:
            msg = N.text(self.L.scribe_trace_error(self.h))
            self.close()
            raise TraceError(msg, rc, path)
        self.path = path

    def error(self, rc):
        """A TraceError with the handle's message."""
        return TraceError(N.text(self.L.scribe_trace_error(self.h)), rc, self.path)

    def close(self):
        """Free the handle (again: nothing)."""
        if self.h:
            self.L.scribe_trace_close(self.h)
            self.h = ctypes.c_void_p()


class Trace:
    """A recorded trace (a directory).  Open one with scribe.open(path) or
    get one from scribe.record().  Reading never changes it.

    Attributes: path; info (dict of the header); bookmarks (list of
    scribe.Bookmark); and after scribe.record(): returncode (the
    program's exit status), stdout and stderr (bytes, when captured)."""

    def __init__(self, path):
        self.path = path
        self.returncode = None
        self.stdout = None
        self.stderr = None
        self._info = None
        _Handle(path).close()      # fail now if it cannot be opened

    @property
    def info(self):
        """The header as a dict: argv, env, cwd, exe, cpu, kernel, host,
        scribe_version, start_ns, end_ns, complete (the recording
        finished), status (wait status of the first process), events,
        bytes, nstreams, ntasks, ndomains, warnings, format_version."""
        if self._info is None:
            h = _Handle(self.path)
            try:
                i = N.CInfo()
                i.size = ctypes.sizeof(i)
                rc = h.L.scribe_trace_info(h.h, ctypes.byref(i))
                if rc < 0:
                    raise h.error(rc)
                vec = lambda p, n: [N.text(p[k]) for k in range(n)]
                self._info = {
                    "argv": vec(i.argv, i.argc), "env": vec(i.env, i.envc),
                    "cwd": N.text(i.cwd), "exe": N.text(i.exe), "cpu": N.text(i.cpu),
                    "kernel": N.text(i.kernel), "host": N.text(i.host),
                    "scribe_version": N.text(i.scribe_version),
                    "start_ns": i.start_ns, "end_ns": i.end_ns,
                    "complete": bool(i.complete), "status": i.status if i.complete else None,
                    "events": i.events, "bytes": i.bytes, "nstreams": i.nstreams,
                    "ntasks": i.ntasks, "ndomains": i.ndomains,
                    "warnings": vec(i.warnings, i.nwarnings),
                    "format_version": i.format_version,
                }
            finally:
                h.close()
        return dict(self._info)

    @property
    def bookmarks(self):
        """The recording's bookmarks, a list of scribe.Bookmark in the
        order they were taken ([] if it has none); read each time, so a
        recording still running shows those added so far."""
        from . import bookmark
        h = _Handle(self.path)
        try:
            return bookmark.read(h)
        finally:
            h.close()

    def events(self, kinds=None, tid=None, text=False):
        """A lazy iterator of Event objects, in global-index order.

        kinds: None (all), a kind name ("syscall") or an iterable of them;
        tid: only that thread's events; text: fill Event.text with the
        line `scribe dump` prints.  Damage to the trace raises TraceError
        after the events before it were yielded (e.truncated: the trace
        ends early)."""
        h = _Handle(self.path, N.OPEN_TEXT if text else 0, _kind_mask(kinds), tid)
        buf = (N.CEvent * BATCH)()
        try:
            while True:
                n = h.L.scribe_trace_next_v(h.h, buf, BATCH, ctypes.sizeof(N.CEvent))
                if n < 0:
                    raise h.error(n)
                if n == 0:
                    return
                for k in range(n):
                    yield Event(buf[k])
        finally:
            h.close()

    def __iter__(self):
        return self.events()

    def event(self, index):
        """The event of global index `index` (IndexError if none)."""
        for e in self.events():
            if e.index == index:
                return e
        raise IndexError("the trace has no event %d" % index)

    def replay(self, output=None, live=False):
        """A Replay of this trace, stopped before its first event: use it
        as `with trace.replay() as r:` (docs/api.md).  output: None (the
        program's output goes to fds 1 and 2) or callable(fd, data).
        live=True: a replay that may go live (Replay.go_live), run with no
        seccomp filter in the program; it cannot take checkpoints."""
        from .replay import Replay
        return Replay(self, output, live)

    def edit(self):
        """An Editor that writes a new trace derived from this one."""
        from .edit import Editor
        return Editor(self)

    def __repr__(self):
        return "<scribe.Trace %s>" % self.path


def open(path):
    """Open the trace directory `path` (raises TraceError if it is not a
    readable trace)."""
    return Trace(path)
