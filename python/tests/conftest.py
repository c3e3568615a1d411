"""Shared fixtures of the python module's tests: the checkout's build, and
scratch directories.  The suite needs `make all test-programs` first; a
missing build is a failure, never a skip."""

import os
import subprocess
import sys

import pytest

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.path.join(TOP, "build")
PROGS = os.path.join(BUILD, "tests")
EXAMPLES = os.path.join(TOP, "examples")

sys.path.insert(0, os.path.join(TOP, "python"))

import scribe  # noqa: E402


def prog(name):
    """The path of a built test program (tests/programs/NAME.c)."""
    p = os.path.join(PROGS, name)
    assert os.access(p, os.X_OK), "%s is missing: run make test-programs" % p
    return p


def replay(trace, timeout=60):
    """Replay with the scribe binary: (exit status, stdout, stderr)."""
    p = subprocess.run([scribe.find_binary(), "replay", trace.path if hasattr(trace, "path")
                        else trace], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


@pytest.fixture(autouse=True)
def _scribe_dir(tmp_path, monkeypatch):
    """Recordings without -o go to the test's own directory."""
    monkeypatch.setenv("SCRIBE_DIR", str(tmp_path / "traces"))


@pytest.fixture(params=[True, False], ids=["buffer", "nobuffer"])
def buffer(request):
    """Run a test with the syscall buffer on and off."""
    return request.param


@pytest.fixture
def rand_trace(tmp_path, buffer):
    """libtrace_rand recorded: it prints 8 getrandom bytes, then the first
    line of a file."""
    f = tmp_path / "input.txt"
    f.write_text("the-file-line\n")
    t = scribe.record([prog("libtrace_rand"), str(f)], trace=str(tmp_path / "rand"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0, t.stderr
    return t
