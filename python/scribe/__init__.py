"""Read, edit and record Scribe traces from Python.

A ctypes binding of libscribe (include/scribe.h); standard library only.
The library is found through SCRIBE_LIB, next to this package, in
../../build/ of a built checkout (PYTHONPATH=python), or by the dynamic
loader; docs/api.md has a worked example.

    import scribe
    t = scribe.record(["./prog"])                # or scribe.open(path)
    for e in t.events(kinds="syscall"):
        if e.name == "write" and e.data and b"hello" in e.data:
            print(e.index, e.tid, e.data)
    ed = t.edit()
    ed.set_result(next(t.events(kinds="syscall")), 0)
    t2 = ed.save("/tmp/edited")

Contents:
  open(path) -> Trace          a recorded trace
  record(argv, ...) -> Trace   record a program (in this process)
  Trace.info, Trace.events(kinds, tid), Trace.bookmarks, Trace.edit()
  Event                        one event (index, pid, tid, kind, name,
                               args, result, data, ...)
  Bookmark                     a named point (name, tid, positions)
  Editor                       set_result, drop, cut, reorder, save
  Error > TraceError, RecordError, DivergeError
  api_version(), version(), find_library(), find_binary()

Replay control: Trace.replay() -> Replay, a replay that stops and is
inspected (scribe.replay's docstring):

    with t.replay() as r:
        st = r.run_until(syscall="write")    # a Stop, before the call
        regs = r.regs(st.tid)
        print(r.read_memory(st.tid, regs.rsi, regs.rdx))
        print(r.run())                       # the exit status

  Replay.run_until(event, syscall, kind, tid, signal, predicate,
  bookmark), step(),
  run(), pause(), on("diverge" | "syscall", fn, name), tasks(),
  regs(tid), xsave(tid), read_memory(tid, addr, n), maps(pid), fds(pid)
  (a list of Fd: the recorded fd table), close()
Checkpoints are not in this version."""

from ._native import find_binary, find_library
from ._native import lib as _lib
from .bookmark import Bookmark
from .edit import Editor
from .fds import Fd
from .errors import DivergeError, Error, RecordError, TraceError
from .record import record
from .replay import Mapping, Regs, Replay, Stop, Task
from .trace import Event, Trace, open

__all__ = ["open", "record", "Trace", "Event", "Editor", "Error", "TraceError",
           "RecordError", "DivergeError", "api_version", "version", "find_library",
           "find_binary", "Replay", "Stop", "Task", "Regs", "Mapping", "Fd", "Bookmark"]


def api_version():
    """The loaded libscribe's API version (SCRIBE_API_VERSION)."""
    return _lib().scribe_api_version()


def version():
    """The scribe release the loaded libscribe belongs to."""
    return _lib().scribe_version().decode()
