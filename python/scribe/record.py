"""scribe.record(): record a program."""

import os
import shutil
import subprocess
import tempfile

from . import _native as N
from .errors import RecordError
from .trace import Trace


def record(argv, trace=None, env=None, cwd=None, stdin=subprocess.DEVNULL, stdout=None,
           stderr=subprocess.PIPE, buffer=True, timeout=None):
    """Record the program argv (a list) and return its Trace.

    Recording is not a library call yet (the recorder still keeps
    process-wide state), so this runs the scribe binary, `scribe record -q
    -o TRACE -- argv`, found like the library (SCRIBE_BIN, next to the
    package, ../../build/ of a checkout, then PATH).

    trace: the directory to create (default: a fresh temporary directory's
    "trace", which the caller owns); env: the program's whole environment
    (default: this process's); cwd: its working directory; stdin, stdout,
    stderr: as for subprocess.run (stderr is captured by default, so that
    scribe's message can go into RecordError); buffer=False records with
    the syscall buffer off (SCRIBE_NO_BUFFER=1); timeout: seconds.

    The returned Trace has returncode (the program's exit status, as the
    recording reported it) and stdout/stderr (bytes when captured).
    Raises RecordError with scribe's "scribe: ..." message when scribe
    itself failed (its exit status 125 with a message, or no trace)."""
    if isinstance(argv, (str, bytes)):
        raise TypeError("argv must be a list of arguments, not a string")
    tmp = None
    if trace is None:
        tmp = tempfile.mkdtemp(prefix="scribe-")
        trace = os.path.join(tmp, "trace")
    e = dict(os.environ if env is None else env)
    if not buffer:
        e["SCRIBE_NO_BUFFER"] = "1"
    cmd = [N.find_binary(), "record", "-q", "-o", os.fspath(trace), "--"] + list(argv)
    p = subprocess.run(cmd, env=e, cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr,
                       timeout=timeout)
    err = p.stderr or b""
    msg = "\n".join(l for l in err.decode("utf-8", "replace").splitlines()
                    if l.startswith("scribe: "))
    if (p.returncode == 125 and msg) or not os.path.exists(os.path.join(trace, "header")):
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        raise RecordError(msg or "scribe record exited %d and left no trace" % p.returncode,
                          p.returncode)
    t = Trace(trace)
    t.returncode = p.returncode
    t.stdout = p.stdout
    t.stderr = p.stderr
    return t
