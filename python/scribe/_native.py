"""ctypes declarations of libscribe (include/scribe.h) and how the library
and the scribe binary are found.

Search order, for the library (libscribe.so.0) and the binary (scribe):

1. the environment: SCRIBE_LIB (the library's path), SCRIBE_BIN (the
   binary's);
2. next to this package (an installed copy may ship them there);
3. ../../build/ from this package: a built checkout, used with
   PYTHONPATH=python;
4. the system: the dynamic loader's path for the library, PATH for the
   binary (what `make install` sets up).
"""

import ctypes
import os
import shutil

API_VERSION = 2          # the SCRIBE_API_VERSION this module was written for

_HERE = os.path.dirname(os.path.abspath(__file__))
_CHECKOUT_BUILD = os.path.normpath(os.path.join(_HERE, "..", "..", "build"))

# Event kinds (enum scribe_kind) by name and number.
KINDS = {
    "exec": 1, "syscall": 2, "signal": 3, "rdtsc": 4, "exit": 5, "task": 6,
    "switch": 7, "preempt": 8, "join": 9, "release": 10, "buffer": 11,
}
KIND_NAMES = {v: k for k, v in KINDS.items()}

EVF_RESULT = 0x01
EVF_BUFFERED = 0x02
EVF_DATA_OUT = 0x04
EVF_DATA_IN = 0x08
EVF_PARTIAL = 0x10
EVF_STDOUT = 0x20
EVF_STDERR = 0x40

OPEN_TEXT = 0x1

E_TRUNCATED = -4


class Region(ctypes.Structure):
    """struct scribe_region"""
    _fields_ = [("addr", ctypes.c_uint64),
                ("data", ctypes.POINTER(ctypes.c_uint8)),
                ("len", ctypes.c_size_t)]


class CEvent(ctypes.Structure):
    """struct scribe_event"""
    _fields_ = [("size", ctypes.c_uint32), ("kind", ctypes.c_uint32),
                ("index", ctypes.c_uint64), ("stream_index", ctypes.c_uint64),
                ("stream", ctypes.c_uint32), ("sub", ctypes.c_uint32),
                ("pid", ctypes.c_int32), ("tid", ctypes.c_int32),
                ("flags", ctypes.c_uint32), ("nr", ctypes.c_int32),
                ("name", ctypes.c_char_p), ("nargs", ctypes.c_uint32),
                ("args", ctypes.c_uint64 * 6), ("result", ctypes.c_int64),
                ("data", ctypes.POINTER(ctypes.c_uint8)), ("data_len", ctypes.c_size_t),
                ("data_addr", ctypes.c_uint64), ("data_total", ctypes.c_uint64),
                ("nregions", ctypes.c_uint32), ("regions", ctypes.POINTER(Region)),
                ("path", ctypes.c_char_p), ("text", ctypes.c_char_p),
                ("argc", ctypes.c_uint32), ("argv", ctypes.POINTER(ctypes.c_char_p))]


class OpenOpts(ctypes.Structure):
    """struct scribe_open_opts"""
    _fields_ = [("size", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("kinds", ctypes.c_uint32), ("tid", ctypes.c_int32),
                ("stream", ctypes.c_int32)]


class CInfo(ctypes.Structure):
    """struct scribe_info"""
    _fields_ = [("size", ctypes.c_uint32), ("format_version", ctypes.c_uint32),
                ("argc", ctypes.c_int), ("argv", ctypes.POINTER(ctypes.c_char_p)),
                ("envc", ctypes.c_int), ("env", ctypes.POINTER(ctypes.c_char_p)),
                ("cwd", ctypes.c_char_p), ("exe", ctypes.c_char_p),
                ("cpu", ctypes.c_char_p), ("kernel", ctypes.c_char_p),
                ("host", ctypes.c_char_p), ("scribe_version", ctypes.c_char_p),
                ("start_ns", ctypes.c_uint64), ("end_ns", ctypes.c_uint64),
                ("complete", ctypes.c_int), ("status", ctypes.c_int32),
                ("events", ctypes.c_uint64), ("bytes", ctypes.c_uint64),
                ("nstreams", ctypes.c_uint32), ("ntasks", ctypes.c_uint32),
                ("ndomains", ctypes.c_uint32), ("nwarnings", ctypes.c_uint32),
                ("warnings", ctypes.POINTER(ctypes.c_char_p))]


OUTPUT_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                             ctypes.c_size_t)


class ReplayOpts(ctypes.Structure):
    """struct scribe_replay_opts"""
    _fields_ = [("size", ctypes.c_uint32), ("output", OUTPUT_FN),
                ("output_ctx", ctypes.c_void_p), ("flags", ctypes.c_uint32)]


REPLAY_LIVE = 1


UNTIL_NEXT, UNTIL_KINDS, UNTIL_TID, UNTIL_NR, UNTIL_EVENT, UNTIL_INDEX = 1, 2, 4, 8, 16, 32
UNTIL_BOOKMARK = 64       # API 3


class Until(ctypes.Structure):
    """struct scribe_until"""
    _fields_ = [("size", ctypes.c_uint32), ("what", ctypes.c_uint32),
                ("kinds", ctypes.c_uint32), ("tid", ctypes.c_int32), ("nr", ctypes.c_int32),
                ("stream", ctypes.c_uint32), ("stream_index", ctypes.c_uint64),
                ("index", ctypes.c_uint64), ("bookmark", ctypes.c_char_p)]


class CBookmark(ctypes.Structure):
    """struct scribe_bookmark (API 3)"""
    _fields_ = [("size", ctypes.c_uint32), ("name", ctypes.c_char_p),
                ("time_ns", ctypes.c_uint64), ("tid", ctypes.c_int32),
                ("stream", ctypes.c_uint32), ("npos", ctypes.c_uint32),
                ("streams", ctypes.POINTER(ctypes.c_uint32)),
                ("stream_index", ctypes.POINTER(ctypes.c_uint64))]


class CStop(ctypes.Structure):
    """struct scribe_stop"""
    _fields_ = [("size", ctypes.c_uint32), ("reason", ctypes.c_int32),
                ("stream", ctypes.c_uint32), ("stream_index", ctypes.c_uint64),
                ("tid", ctypes.c_int32), ("kind", ctypes.c_uint32), ("nr", ctypes.c_int32),
                ("status", ctypes.c_int32), ("expected", ctypes.c_char_p),
                ("message", ctypes.c_char_p)]


class CTask(ctypes.Structure):
    """struct scribe_task"""
    _fields_ = [("size", ctypes.c_uint32), ("tid", ctypes.c_int32), ("pid", ctypes.c_int32),
                ("real_tid", ctypes.c_int32), ("real_pid", ctypes.c_int32),
                ("stream", ctypes.c_uint32), ("state", ctypes.c_int32),
                ("holder", ctypes.c_int32)]


REG_NAMES = ("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax",
             "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss",
             "fs_base", "gs_base", "ds", "es", "fs", "gs")


class CRegs(ctypes.Structure):
    """struct scribe_regs"""
    _fields_ = [(n, ctypes.c_uint64) for n in REG_NAMES]


STOP_REASONS = {1: "start", 2: "match", 3: "paused", 4: "ended", 5: "diverged", 6: "error"}
TASK_STATES = {0: "at-event", 1: "waiting", 2: "stopped", 3: "dead"}
E_DIVERGED, E_STATE, E_AGAIN, E_NOTASK = -7, -8, -9, -10


def _candidates(env, name):
    """Where to look for a file: the environment variable, else next to
    the package and in a checkout's build/."""
    if os.environ.get(env):
        return [os.environ[env]]
    return [os.path.join(_HERE, name), os.path.join(_CHECKOUT_BUILD, name)]


def find_library():
    """The path (or soname) of libscribe that this module loads."""
    for path in _candidates("SCRIBE_LIB", "libscribe.so.0"):
        if os.path.exists(path) or os.environ.get("SCRIBE_LIB"):
            return path
    return "libscribe.so.0"      # the dynamic loader's search path


def find_binary():
    """The path of the scribe binary (the CLI; scribe.record() does not need it)."""
    for path in _candidates("SCRIBE_BIN", "scribe"):
        if os.access(path, os.X_OK) or os.environ.get("SCRIBE_BIN"):
            return path
    found = shutil.which("scribe")
    if not found:
        raise FileNotFoundError("no scribe binary: set SCRIBE_BIN, build the "
                                "checkout, or install scribe")
    return found


_lib = None


def lib():
    """The loaded library, with its functions' signatures declared."""
    global _lib
    if _lib is not None:
        return _lib
    L = ctypes.CDLL(find_library())
    P, c = ctypes.POINTER, ctypes
    sigs = {
        "scribe_api_version": (c.c_int, []),
        "scribe_version": (c.c_char_p, []),
        "scribe_trace_open": (c.c_int, [c.c_char_p, P(OpenOpts), P(c.c_void_p)]),
        "scribe_trace_close": (None, [c.c_void_p]),
        "scribe_trace_error": (c.c_char_p, [c.c_void_p]),
        "scribe_trace_next_v": (c.c_int, [c.c_void_p, P(CEvent), c.c_size_t, c.c_size_t]),
        "scribe_trace_info": (c.c_int, [c.c_void_p, P(CInfo)]),
        "scribe_trace_bookmarks": (c.c_int, [c.c_void_p]),
        "scribe_trace_bookmark": (c.c_int, [c.c_void_p, c.c_uint32, P(CBookmark)]),
        "scribe_edit_open": (c.c_int, [c.c_char_p, P(c.c_void_p)]),
        "scribe_edit_close": (None, [c.c_void_p]),
        "scribe_edit_error": (c.c_char_p, [c.c_void_p]),
        "scribe_edit_set_result": (c.c_int, [c.c_void_p, c.c_uint32, c.c_uint64, c.c_uint32,
                                             c.c_int64, c.c_char_p, c.c_size_t]),
        "scribe_edit_drop": (c.c_int, [c.c_void_p, c.c_uint32, c.c_uint64, c.c_uint32]),
        "scribe_edit_cut": (c.c_int, [c.c_void_p, c.c_uint32, c.c_uint64, c.c_uint32]),
        "scribe_edit_reorder": (c.c_int, [c.c_void_p, c.c_uint32, c.c_uint64, c.c_uint32,
                                          c.c_uint64]),
        "scribe_edit_save": (c.c_int, [c.c_void_p, c.c_char_p]),
        "scribe_replay_open": (c.c_int, [c.c_char_p, P(ReplayOpts), P(c.c_void_p)]),
        "scribe_replay_close": (None, [c.c_void_p]),
        "scribe_replay_error": (c.c_char_p, [c.c_void_p]),
        "scribe_replay_resume": (c.c_int, [c.c_void_p, P(Until)]),
        "scribe_replay_wait": (c.c_int, [c.c_void_p, c.c_int, P(CStop)]),
        "scribe_replay_pause": (c.c_int, [c.c_void_p]),
        "scribe_replay_tasks": (c.c_int, [c.c_void_p, P(CTask), c.c_size_t]),
        "scribe_replay_regs": (c.c_int, [c.c_void_p, c.c_int32, P(CRegs)]),
        "scribe_replay_xsave": (c.c_long, [c.c_void_p, c.c_int32, c.c_void_p, c.c_size_t]),
        "scribe_replay_read": (c.c_long, [c.c_void_p, c.c_int32, c.c_uint64, c.c_void_p,
                                          c.c_size_t]),
        "scribe_replay_maps": (c.c_long, [c.c_void_p, c.c_int32, c.c_char_p, c.c_size_t]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(L, name)
        fn.restype, fn.argtypes = res, args
    if L.scribe_api_version() < API_VERSION:
        raise ImportError("libscribe at %s has API version %d, this module needs %d"
                          % (find_library(), L.scribe_api_version(), API_VERSION))
    _lib = L
    return L


def text(b):
    """A C string from the library as str (undecodable bytes escaped)."""
    return None if b is None else b.decode("utf-8", "surrogateescape")


def fspath(p):
    """A path argument as the bytes the library takes."""
    return os.fsencode(os.fspath(p))
