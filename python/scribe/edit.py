"""Writing a trace derived from another (Trace.edit())."""

import ctypes

from . import _native as N
from .errors import TraceError


class Editor:
    """Edits of a trace, written to a new trace by save().  Events are
    named by Event objects (or (stream, stream_index, sub) tuples, or a
    global index).  Each method checks its event at once and raises
    TraceError if the edit cannot apply to it.

    A replay of the edited trace runs until the program departs from the
    log, and reports that point the way every divergence is reported."""

    def __init__(self, trace):
        self.trace = trace
        self.L = N.lib()
        self.h = ctypes.c_void_p()
        rc = self.L.scribe_edit_open(N.fspath(trace.path), ctypes.byref(self.h))
        if rc < 0:
            msg = self._msg()
            self.close()
            raise TraceError(msg, rc, trace.path)

    def _msg(self):
        """The library's message for the last failure."""
        return N.text(self.L.scribe_edit_error(self.h))

    def _ref(self, event):
        """(stream, stream_index, sub) of an Event, a tuple or an index."""
        if isinstance(event, int):
            event = self.trace.event(event)
        if isinstance(event, tuple):
            return event
        return event.ref

    def _check(self, rc):
        """Raise TraceError for a failed call; the editor, for chaining."""
        if rc < 0:
            raise TraceError(self._msg(), rc, self.trace.path)
        return self

    def set_result(self, event, value, data=None):
        """Make a syscall return `value`; with data (bytes), the memory it
        wrote becomes those bytes (at the address of its first region)."""
        s, i, sub = self._ref(event)
        d = None if data is None else bytes(data)
        return self._check(self.L.scribe_edit_set_result(
            self.h, s, i, sub, value, d, 0 if d is None else len(d)))

    def drop(self, event):
        """Remove a signal: the replayed program does not get it."""
        s, i, sub = self._ref(event)
        return self._check(self.L.scribe_edit_drop(self.h, s, i, sub))

    def cut(self, event):
        """End the event's stream just before it.  The new trace is an
        interrupted recording: replay stops there with "trace ends early"."""
        s, i, sub = self._ref(event)
        return self._check(self.L.scribe_edit_cut(self.h, s, i, sub))

    def reorder(self, a, b):
        """Swap the places of two outputs to the recording's stdout or
        stderr (events with .stdout or .stderr) made in different streams
        (memory domains): replay then writes them the other way round.
        This is the one order between domains a trace keeps; events of
        one stream keep the order their domain ran them in."""
        sa, ia, _ = self._ref(a)
        sb, ib, _ = self._ref(b)
        return self._check(self.L.scribe_edit_reorder(self.h, sa, ia, sb, ib))

    def save(self, path):
        """Write the new trace to the directory `path` (which must not
        exist) and return it as a Trace."""
        self._check(self.L.scribe_edit_save(self.h, N.fspath(path)))
        from .trace import Trace
        return Trace(path)

    def close(self):
        """Free the editor (also done when it is garbage-collected)."""
        if self.h:
            self.L.scribe_edit_close(self.h)
            self.h = ctypes.c_void_p()

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
