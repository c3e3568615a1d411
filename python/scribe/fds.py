"""The recorded fd tables: Replay.fds(pid) -> [Fd] (libscribe's
scribe_replay_fds, include/scribe.h).

At a stop, each process's file descriptors as the trace says they are:
the fds the first process started with (recorded at its exec), then what
every syscall of it and its ancestors did to them, traced or buffered.
The replayed program holds none of these kernel objects itself (its
calls are answered from the trace); go-live rebuilds them from this.

    with trace.replay() as r:
        r.run_until(syscall="write")
        for f in r.fds(pid):
            print(f.fd, f.type, f.path, f.offset, f.desc)
"""

import ctypes

from . import _native as N

TYPES = ["unknown", "file", "dir", "pipe", "socket", "eventfd", "timerfd", "signalfd",
         "epoll", "memfd", "inotify", "pidfd", "other"]


class CEpoll(ctypes.Structure):
    """struct scribe_fd_epoll."""
    _fields_ = [("fd", ctypes.c_int32), ("events", ctypes.c_uint32),
                ("data", ctypes.c_uint64), ("desc", ctypes.c_uint64)]


class CWatch(ctypes.Structure):
    """struct scribe_fd_watch."""
    _fields_ = [("wd", ctypes.c_int32), ("mask", ctypes.c_uint32), ("path", ctypes.c_char_p)]


class CFd(ctypes.Structure):
    """struct scribe_fd."""
    _fields_ = [("size", ctypes.c_uint32), ("fd", ctypes.c_int32), ("type", ctypes.c_int32),
                ("fd_flags", ctypes.c_int32), ("flags", ctypes.c_int32),
                ("offset_known", ctypes.c_int32), ("offset", ctypes.c_int64),
                ("at_end", ctypes.c_int32), ("deleted", ctypes.c_int32),
                ("desc", ctypes.c_uint64), ("path", ctypes.c_char_p),
                ("peer", ctypes.c_char_p), ("text", ctypes.c_char_p),
                ("pipe_id", ctypes.c_uint64), ("end", ctypes.c_int32),
                ("peer_desc", ctypes.c_uint64), ("family", ctypes.c_int32),
                ("socktype", ctypes.c_int32), ("protocol", ctypes.c_int32),
                ("listening", ctypes.c_int32), ("backlog", ctypes.c_int32),
                ("connected", ctypes.c_int32), ("count_known", ctypes.c_int32),
                ("count", ctypes.c_uint64), ("clockid", ctypes.c_int32),
                ("timer_flags", ctypes.c_int32), ("value_ns", ctypes.c_int64),
                ("interval_ns", ctypes.c_int64), ("sigmask", ctypes.c_uint64),
                ("nepoll", ctypes.c_uint32), ("epoll", ctypes.POINTER(CEpoll)),
                ("nwatches", ctypes.c_uint32), ("watches", ctypes.POINTER(CWatch)),
                ("pidfd_pid", ctypes.c_int32)]


class Fd:
    """One recorded file descriptor.

    Attributes:
      fd            its number
      type          "file", "dir", "pipe", "socket", "eventfd", "timerfd",
                    "signalfd", "epoll", "memfd", "inotify", "pidfd",
                    "other" or "unknown"
      desc          its open file description's id: equal for fds that
                    share one (dup, fork, inherited)
      flags         status flags as F_GETFL gives them (O_ACCMODE,
                    O_APPEND, O_NONBLOCK...)
      cloexec       FD_CLOEXEC is set
      offset        file position (files, dirs, memfds), or None when the
                    trace does not say (after an O_APPEND write: at_end)
      at_end        last moved by an O_APPEND write (the end of the file)
      deleted       its path was unlinked while open
      path          the file's path (absolute where the trace allows),
                    "memfd:NAME", a socket's local address
                    ("127.0.0.1:80", "/path", "@abstract"), or what an
                    inherited or "other" fd is; "" if none
      peer          a socket's peer address, or ""
      text          one line saying all of it
      pipe_id, end  pipes and socketpairs: both ends share pipe_id; end
                    0 is the read end (or first socket), 1 the other
      peer_desc     the other end's desc, or 0
      family, socktype, protocol, listening, backlog, connected
                    sockets (backlog -1: unknown)
      count         eventfd counter, or None when not known
      clockid, timer_flags, value_ns, interval_ns
                    timerfd settings, as last set
      sigmask       signalfd mask (bit N-1: signal N)
      epoll         epoll: list of (fd, events, data, desc)
      watches       inotify: list of (wd, mask, path)
      pidfd_pid     pidfd: the pid
    """

    def __init__(self, c):
        """From a struct scribe_fd (copied: its strings die with the stop)."""
        self.fd = c.fd
        self.type = TYPES[c.type] if 0 <= c.type < len(TYPES) else str(c.type)
        self.desc = c.desc
        self.flags = c.flags
        self.cloexec = bool(c.fd_flags & 1)
        self.offset = c.offset if c.offset_known else None
        self.at_end = bool(c.at_end)
        self.deleted = bool(c.deleted)
        self.path = N.text(c.path) or ""
        self.peer = N.text(c.peer) or ""
        self.text = N.text(c.text) or ""
        self.pipe_id, self.end, self.peer_desc = c.pipe_id, c.end, c.peer_desc
        self.family, self.socktype, self.protocol = c.family, c.socktype, c.protocol
        self.listening, self.backlog = bool(c.listening), c.backlog
        self.connected = bool(c.connected)
        self.count = c.count if c.count_known else None
        self.clockid, self.timer_flags = c.clockid, c.timer_flags
        self.value_ns, self.interval_ns = c.value_ns, c.interval_ns
        self.sigmask = c.sigmask
        self.epoll = [(e.fd, e.events, e.data, e.desc) for e in c.epoll[:c.nepoll]]
        self.watches = [(w.wd, w.mask, N.text(w.path)) for w in c.watches[:c.nwatches]]
        self.pidfd_pid = c.pidfd_pid

    def __repr__(self):
        return "<Fd %d %s%s>" % (self.fd, self.text, " cloexec" if self.cloexec else "")


def _declare(L):
    fn = L.scribe_replay_fds
    if fn.argtypes is None:
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(CFd), ctypes.c_size_t]
    return fn


def replay_fds(r, pid):
    """The fd table of recorded process `pid` in stopped Replay r."""
    fn = _declare(r.L)
    n = 64
    while True:
        buf = (CFd * n)()
        got = r._check(fn(r.h, pid, buf, n))
        if got <= n:
            return [Fd(c) for c in buf[:got]]
        n = got
