"""Going live: Replay.go_live() (libscribe's scribe_replay_go_live,
include/scribe.h; issue 18).

At a stop, the replayed program is given back the kernel state its calls
were answered from (regular files reopened by path at their recorded
offsets and flags, its working directory), rdtsc and cpuid stop trapping,
the syscall buffer turns into a pass-through, and scribe detaches: the
program runs on, live and untraced.  The session is over then.

    with trace.replay() as r:
        r.run_until(syscall="write")
        pid = r.go_live()
        _, status = os.waitpid(pid, 0)

An fd that cannot be rebuilt yet (a pipe, a socket...) raises
scribe.Error naming it, nothing changed; go_live(force=True) goes live
with it closed (Replay.live_message then names it).
"""

import ctypes

from . import _native as N

FORCE = 0x1   # SCRIBE_LIVE_FORCE


def _declare(L):
    fn = L.scribe_replay_go_live
    if fn.argtypes is None:
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.POINTER(ctypes.c_int32)]
    return fn


def go_live(r, force=False):
    """Let Replay r's program go live; its first process's pid (a child
    of this process: os.waitpid it)."""
    fn = _declare(r.L)
    pid = ctypes.c_int32(0)
    r._check(fn(r.h, FORCE if force else 0, ctypes.byref(pid)))
    r.live_message = N.text(r.L.scribe_replay_error(r.h)) or None
    return pid.value
