"""scribe.record(): record a program, in this process (libscribe's
scribe_record_* sessions)."""

import ctypes
import os
import shutil
import subprocess
import tempfile

from . import _native as N
from .errors import RecordError
from .trace import Trace

E_EXEC = -11
RECORD_NO_BUFFER, RECORD_STDIO = 0x1, 0x2


class RecordOpts(ctypes.Structure):
    """struct scribe_record_opts"""
    _fields_ = [("size", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("dir", ctypes.c_char_p), ("env", ctypes.POINTER(ctypes.c_char_p)),
                ("cwd", ctypes.c_char_p), ("store", ctypes.c_char_p),
                ("preload", ctypes.c_char_p), ("stdio", ctypes.c_int * 3),
                ("job_stop", ctypes.c_void_p), ("ctx", ctypes.c_void_p)]


_declared = None


def _lib():
    """libscribe with the recording functions' signatures declared."""
    global _declared
    L = N.lib()
    if _declared is not L:
        c, P = ctypes, ctypes.POINTER
        for name, res, args in [
                ("scribe_record_open", c.c_int, [P(c.c_char_p), P(RecordOpts), P(c.c_void_p)]),
                ("scribe_record_wait", c.c_int, [c.c_void_p, c.c_int, P(c.c_int)]),
                ("scribe_record_interrupt", c.c_int, [c.c_void_p]),
                ("scribe_record_close", None, [c.c_void_p]),
                ("scribe_record_error", c.c_char_p, [c.c_void_p])]:
            fn = getattr(L, name)
            fn.restype, fn.argtypes = res, args
        _declared = L
    return L


def _cstrings(items):
    """A NULL-terminated char *[] of the items (str or bytes)."""
    arr = (ctypes.c_char_p * (len(items) + 1))()
    for i, s in enumerate(items):
        arr[i] = os.fsencode(s)
    arr[len(items)] = None
    return arr


def _default_store():
    """$SCRIBE_DIR/objects, as `scribe record` uses."""
    root = os.environ.get("SCRIBE_DIR") or os.path.join(
        os.environ.get("HOME") or "/tmp", ".local", "share", "scribe")
    return os.path.join(root, "objects")


class _Stdio:
    """The program's fds 0-2 from subprocess-style arguments: None
    (ours), subprocess.PIPE (captured, into a temporary file: no pipe to
    drain while waiting), subprocess.DEVNULL, an fd or a file object."""

    def __init__(self, stdin, stdout, stderr):
        self.fds, self.own, self.captured = [], [], {}
        for i, spec in enumerate((stdin, stdout, stderr)):
            if spec is None:
                fd = i
            elif spec == subprocess.DEVNULL:
                fd = os.open(os.devnull, os.O_RDWR)
                self.own.append(fd)
            elif spec == subprocess.PIPE:
                if i == 0:
                    raise ValueError("stdin=PIPE is not supported; give a file")
                f = tempfile.TemporaryFile()
                self.captured[i] = f
                fd = f.fileno()
            elif isinstance(spec, int):
                fd = spec
            else:
                fd = spec.fileno()
            self.fds.append(fd)

    def output(self, i):
        f = self.captured.get(i)
        if f is None:
            return None
        f.seek(0)
        return f.read()

    def close(self):
        for fd in self.own:
            os.close(fd)
        for f in self.captured.values():
            f.close()


def _returncode(status):
    """A wait status as subprocess reports it: the code, or -signal."""
    return (status >> 8) & 0xff if status & 0x7f == 0 else -(status & 0x7f)


def _wait(L, h, timeout):
    """Wait for the end in 100 ms slices, the GIL released in each (ctypes
    does): Ctrl-C ends the recording as scribe_record_interrupt says, and
    is raised once it has; a timeout ends it too (subprocess's
    TimeoutExpired)."""
    st = ctypes.c_int(0)
    waited = 0.0
    try:
        while True:
            rc = L.scribe_record_wait(h, 100, ctypes.byref(st))
            if rc != N.E_AGAIN:
                return rc, st.value
            waited += 0.1
            if timeout is not None and waited >= timeout:
                L.scribe_record_interrupt(h)
                L.scribe_record_wait(h, -1, ctypes.byref(st))
                raise subprocess.TimeoutExpired("scribe.record", timeout)
    except KeyboardInterrupt:
        L.scribe_record_interrupt(h)
        L.scribe_record_wait(h, -1, ctypes.byref(st))
        raise


def record(argv, trace=None, env=None, cwd=None, stdin=subprocess.DEVNULL, stdout=None,
           stderr=subprocess.PIPE, buffer=True, timeout=None):
    """Record the program argv (a list) and return its Trace.

    The recording runs in this process, on libscribe's threads
    (scribe_record_open); the GIL is released while it waits, and Ctrl-C
    ends the recording cleanly (SIGINT to the program, killed a second
    later if it goes on; the trace replays up to there) before
    KeyboardInterrupt is raised.

    trace: the directory to create (default: a fresh temporary directory's
    "trace", which the caller owns); env: the program's whole environment
    (default: this process's); cwd: its working directory; stdin, stdout,
    stderr: None (ours), subprocess.PIPE (captured: stdout and stderr
    only), subprocess.DEVNULL, an fd or a file; buffer=False records with
    the syscall buffer off; timeout: seconds, then the recording is
    interrupted and subprocess.TimeoutExpired raised.  Mapped files go to
    the object store $SCRIBE_DIR/objects, as with `scribe record`.

    The returned Trace has returncode (the program's exit status, or
    -signal) and stdout/stderr (bytes when captured).  Raises RecordError
    ("scribe: ..." and libscribe's message; .status: 127 not found, 126
    not executable, 125 otherwise) when the recording failed."""
    if isinstance(argv, (str, bytes)):
        raise TypeError("argv must be a list of arguments, not a string")
    L = _lib()
    tmp = None
    if trace is None:
        tmp = tempfile.mkdtemp(prefix="scribe-")
        trace = os.path.join(tmp, "trace")
    trace = os.fspath(trace)
    io = _Stdio(stdin, stdout, stderr)
    o = RecordOpts()
    o.size = ctypes.sizeof(o)
    o.flags = RECORD_STDIO | (0 if buffer else RECORD_NO_BUFFER)
    o.dir = os.fsencode(trace)
    envv = None
    if env is not None:
        envv = _cstrings(["%s=%s" % (k, v) for k, v in env.items()])
        o.env = ctypes.cast(envv, ctypes.POINTER(ctypes.c_char_p))
    o.cwd = os.fsencode(cwd) if cwd is not None else None
    o.store = os.fsencode(_default_store())
    o.stdio[:] = io.fds
    args = _cstrings(list(argv))
    h = ctypes.c_void_p()
    try:
        rc = L.scribe_record_open(args, ctypes.byref(o), ctypes.byref(h))
        status = 0
        if rc == 0:
            rc, status = _wait(L, h, timeout)
        elif rc == E_EXEC:
            st = ctypes.c_int(0)
            L.scribe_record_wait(h, 0, ctypes.byref(st))
            status = st.value
        if rc != 0:
            msg = (L.scribe_record_error(h) or b"out of memory").decode("utf-8", "replace")
            code = (status >> 8) & 0xff if rc == E_EXEC else 125
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
            raise RecordError("scribe: " + msg, code)
        t = Trace(trace)
        t.returncode = _returncode(status)
        t.stdout = io.output(1)
        t.stderr = io.output(2)
        return t
    finally:
        L.scribe_record_close(h)
        io.close()
