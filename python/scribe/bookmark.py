"""Bookmarks: named points of a recording, taken while it ran.

`scribe bookmark [NAME]` adds one to a running recording from another
shell; a program adds its own with a path call on
"/dev/scribe/bookmark/NAME" (os.access, os.stat...: it fails with
ENOENT, recorded or not).  Trace.bookmarks lists them;
Replay.run_until(bookmark=NAME) runs a replay to one (docs/api.md)."""

import ctypes

from . import _native as N


class Bookmark:
    """One bookmark (struct scribe_bookmark).

    Attributes:
      name          its name
      time_ns       realtime (ns) when it was taken
      tid           the recorded task that set it itself (0: set from
                    outside by `scribe bookmark`)
      stream        that task's stream (tid != 0)
      positions     {stream: stream_index}: in each stream that had begun,
                    the bookmark sits before that event (replay parks
                    each domain at its first boundary from there on)
    """

    def __init__(self, c):
        self.name = N.text(c.name)
        self.time_ns = c.time_ns
        self.tid = c.tid
        self.stream = c.stream
        self.positions = {c.streams[i]: c.stream_index[i] for i in range(c.npos)}

    def __repr__(self):
        where = " ".join("%d:%d" % kv for kv in sorted(self.positions.items()))
        by = " by tid %d" % self.tid if self.tid else ""
        return "<Bookmark %s%s at %s>" % (self.name, by, where)


def read(handle):
    """The bookmarks of an open trace handle (trace._Handle), in order."""
    L = handle.L
    n = L.scribe_trace_bookmarks(handle.h)
    if n < 0:
        raise handle.error(n)
    out = []
    for i in range(n):
        c = N.CBookmark()
        c.size = ctypes.sizeof(c)
        rc = L.scribe_trace_bookmark(handle.h, i, ctypes.byref(c))
        if rc < 0:
            raise handle.error(rc)
        out.append(Bookmark(c))
    return out
