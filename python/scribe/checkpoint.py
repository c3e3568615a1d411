"""Checkpoints of a stopped replay (libscribe API 3): Replay.checkpoint()
takes one, Replay.restore(ck) comes back to it, as many times as wanted.

A checkpoint is every replayed process forked and frozen, with the
engine's state for it (threads are recreated at restore); it belongs to
the session that took it.  It is taken at a syscall event
(run_until(syscall=...) or an event that is a syscall) or a pause; a
state that cannot be copied faithfully yet (writable MAP_SHARED memory,
for one) raises scribe.Error saying why."""

import ctypes

from . import _native as N
from .errors import Error

_declared = False


def _lib():
    """libscribe, with the checkpoint functions declared."""
    global _declared
    L = N.lib()
    if not _declared:
        c, P = ctypes, ctypes.POINTER
        sigs = {
            "scribe_replay_checkpoint": (c.c_int, [c.c_void_p, P(c.c_void_p)]),
            "scribe_replay_restore": (c.c_int, [c.c_void_p, c.c_void_p]),
            "scribe_checkpoint_stop": (c.c_int, [c.c_void_p, P(N.CStop)]),
            "scribe_checkpoint_free": (None, [c.c_void_p]),
        }
        for name, (res, args) in sigs.items():
            fn = getattr(L, name)
            fn.restype, fn.argtypes = res, args
        _declared = True
    return L


class Checkpoint:
    """A handle on a checkpoint of a Replay (from Replay.checkpoint()).

    Attributes:
      stop    the Stop the replay was at when it was taken
    Call free() (or let the session close) to kill its frozen processes."""

    def __init__(self, replay, handle, stop):
        self._replay = replay
        self._h = handle
        self.stop = stop

    def free(self):
        """Kill the checkpoint's processes and forget it (idempotent)."""
        if self._h and self._replay.h:
            _lib().scribe_checkpoint_free(self._h)
        self._h = None

    def __repr__(self):
        return "<Checkpoint at %r>" % (self.stop,)


def take(replay):
    """A Checkpoint of the stopped replay (see Replay.checkpoint)."""
    from .replay import Stop
    replay._live()
    L = _lib()
    h = ctypes.c_void_p()
    if L.scribe_replay_checkpoint(replay.h, ctypes.byref(h)) < 0:
        raise Error(replay._msg())
    c = N.CStop()
    c.size = ctypes.sizeof(c)
    L.scribe_checkpoint_stop(h, ctypes.byref(c))
    ck = Checkpoint(replay, h, Stop(c, replay.trace))
    replay._checkpoints.append(ck)
    return ck


def restore(replay, ck):
    """Continue the replay from a fresh copy of ck (see Replay.restore)."""
    replay._live()
    if ck._replay is not replay or not ck._h:
        raise Error("that checkpoint is not a live one of this replay")
    if _lib().scribe_replay_restore(replay.h, ck._h) < 0:
        raise Error(replay._msg())
    replay.stop = ck.stop
    return ck.stop
