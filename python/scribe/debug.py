"""Breakpoints, watchpoints and single steps in a replay (libscribe API 3:
scribe_replay_break / unbreak / step; docs/api.md).

    from scribe import debug
    with t.replay() as r:
        r.run_until(kind="syscall")             # past the exec
        debug.add(r, addr)                      # an int3 hidden from reads
        hit = debug.cont(r)                     # Hit("break", tid, addr, ...)
        hit = debug.step(r, hit.tid)            # Hit("step", ...)

A Hit is (reason, tid, addr, task_events, stop): reason "break", "step",
"watch", or the Replay Stop's own ("ended", "paused", ...)."""

import collections
import ctypes

from . import _native as N
from .errors import Error

KINDS = {"exec": 0, "write": 1, "access": 3, "soft": 8}
_REASONS = {7: "break", 8: "step", 9: "watch"}

Hit = collections.namedtuple("Hit", "reason tid addr task_events stop")


class _CStop3(ctypes.Structure):
    """struct scribe_stop with API 3's members"""
    _fields_ = N.CStop._fields_ + [("addr", ctypes.c_uint64),
                                   ("task_events", ctypes.c_uint64)]


def _lib(r):
    L = r.L
    if not getattr(L, "_scribe_debug", False):
        c = ctypes
        if not hasattr(L, "scribe_replay_break"):
            raise Error("this libscribe has no breakpoints (API 3)")
        for name, res, args in (
                ("scribe_replay_break", c.c_int, [c.c_void_p, c.c_int, c.c_uint64, c.c_uint32,
                                                  c.c_int32]),
                ("scribe_replay_unbreak", c.c_int, [c.c_void_p, c.c_int, c.c_uint64,
                                                    c.c_uint32]),
                ("scribe_replay_step", c.c_int, [c.c_void_p, c.c_int32])):
            fn = getattr(L, name)
            fn.restype, fn.argtypes = res, args
        L._scribe_debug_wait = L.scribe_replay_wait
        L._scribe_debug = True
    return L


def _kind(kind):
    if kind not in KINDS:
        raise ValueError("kind: one of %s, not %r" % (", ".join(KINDS), kind))
    return KINDS[kind]


def add(r, addr, kind="soft", length=1, pid=0):
    """A breakpoint ("soft": int3, any number; "exec": a debug register) or
    watchpoint ("write", "access": 1, 2, 4 or 8 bytes, aligned) in process
    `pid` (recorded; 0: all, not for "soft": then the first process)."""
    L = _lib(r)
    r._live()
    if kind == "soft" and not pid:
        pid = r.tasks()[0].pid
    if L.scribe_replay_break(r.h, _kind(kind), addr, length, pid) < 0:
        raise Error(r._msg())


def remove(r, addr, kind="soft", length=1):
    """Remove what add() added with the same addr, kind and length."""
    L = _lib(r)
    r._live()
    if L.scribe_replay_unbreak(r.h, _kind(kind), addr, length) < 0:
        raise Error(r._msg())


def _hit(r, stop):
    """The Hit at the replay's current stop (the wait returns at once)."""
    L = _lib(r)
    c = _CStop3()
    c.size = ctypes.sizeof(c)
    fn = L._scribe_debug_wait
    saved = fn.argtypes
    fn.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_CStop3)]
    try:
        fn(r.h, 0, ctypes.byref(c))
    finally:
        fn.argtypes = saved
    return Hit(_REASONS.get(c.reason, stop.reason), c.tid, c.addr, c.task_events, stop)


def cont(r):
    """Run until a breakpoint, watchpoint, or the end: the Hit."""
    return _hit(r, r._go(None))


def step(r, tid):
    """Task `tid` runs one instruction (the others as the trace lets
    them): the Hit ("step", or whatever stopped the replay first)."""
    L = _lib(r)
    r._live()
    L.scribe_replay_step(r.h, tid)
    return _hit(r, r._go(None))
