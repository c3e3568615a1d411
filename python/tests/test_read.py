"""Reading traces: record from Python, info, events, filters, data."""

import os
import subprocess

import pytest

import scribe
from conftest import prog


def test_native_runs_differ(tmp_path):
    """libtrace_rand is nondeterministic: otherwise the tests prove nothing."""
    f = tmp_path / "x"
    f.write_text("x\n")
    a = subprocess.run([prog("libtrace_rand"), str(f)], capture_output=True).stdout
    b = subprocess.run([prog("libtrace_rand"), str(f)], capture_output=True).stdout
    assert a != b


def test_record_and_info(rand_trace):
    info = rand_trace.info
    assert info["argv"][0].endswith("libtrace_rand")
    assert info["complete"] and info["status"] == 0
    assert info["events"] > 0 and info["nstreams"] == 1
    assert info["format_version"] >= 1
    assert rand_trace.bookmarks == []
    assert scribe.api_version() >= 1


def test_find_the_write(rand_trace):
    """The write that printed the random line, and its data."""
    line = rand_trace.stdout.decode().splitlines()[0]
    assert line.startswith("random ")
    writes = [e for e in rand_trace.events(kinds="syscall")
              if e.name == "write" and e.data and b"random " in e.data]
    assert len(writes) == 1
    w = writes[0]
    assert w.data.decode() == line + "\n" and w.data_in and w.stdout
    assert w.result == len(line) + 1 and w.args[0] == 1
    assert w.pid == w.tid and w.stream == 0
    # the getrandom before it returned the bytes the line shows
    g = [e for e in rand_trace.events(kinds="syscall")
         if e.name == "getrandom" and e.index < w.index][0]
    assert g.data.hex() == line.split()[1] and g.result == 8


def test_indexes_and_filters(rand_trace):
    every = list(rand_trace.events())
    assert [e.index for e in every] == list(range(len(every)))
    kinds = {e.kind for e in every}
    assert {"exec", "syscall", "exit"} <= kinds
    sys_only = list(rand_trace.events(kinds="syscall"))
    assert sys_only and all(e.kind == "syscall" for e in sys_only)
    assert [e.index for e in sys_only] == [e.index for e in every if e.kind == "syscall"]
    two = list(rand_trace.events(kinds=["exec", "exit"]))
    assert [e.kind for e in two] == ["exec", "exit"]
    assert list(two[0].args) == rand_trace.info["argv"]
    assert two[0].path.endswith("libtrace_rand")
    tid = every[0].tid
    assert len(list(rand_trace.events(tid=tid))) == len(every)
    assert list(rand_trace.events(tid=tid + 100000)) == []
    with pytest.raises(ValueError):
        list(rand_trace.events(kinds="nonsense"))


def test_text_is_dump(rand_trace):
    """events(text=True) carries the lines scribe dump prints."""
    dump = subprocess.run([scribe.find_binary(), "dump", rand_trace.path],
                          capture_output=True, text=True).stdout
    lines = [e.text for e in rand_trace.events(text=True) if not e.buffered]
    joined = "\n".join(lines)
    assert all(l.split("] ", 1)[1] in joined for l in dump.splitlines()[:5])


def test_pids_of_processes(tmp_path, buffer):
    t = scribe.record([prog("fork_exec")], trace=str(tmp_path / "fe"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0
    evs = list(t.events())
    pids = {e.pid for e in evs}
    assert len(pids) >= 3              # the program, and the two it forks
    tasks = [e for e in evs if e.kind == "task"]
    assert tasks and all(e.pid == e.tid for e in tasks)      # processes
    assert {e.stream for e in evs} == set(range(t.info["nstreams"]))


def test_missing_trace(tmp_path):
    with pytest.raises(scribe.TraceError) as e:
        scribe.open(str(tmp_path / "nothing"))
    assert "no header file" in str(e.value)


def test_corrupt_trace(rand_trace, tmp_path):
    """A damaged stream: events before the damage, then TraceError."""
    bad = tmp_path / "bad"
    subprocess.run(["cp", "-r", rand_trace.path, str(bad)], check=True)
    ev = bad / "events.0"
    data = bytearray(ev.read_bytes())
    data[60] ^= 0xff                  # inside the first chunk's payload
    ev.write_bytes(bytes(data))
    t = scribe.open(str(bad))         # the header is fine
    with pytest.raises(scribe.TraceError) as e:
        list(t.events())
    assert "corrupt trace" in str(e.value) and not e.value.truncated


def test_truncated_trace(rand_trace, tmp_path):
    bad = tmp_path / "short"
    subprocess.run(["cp", "-r", rand_trace.path, str(bad)], check=True)
    ev = bad / "events.0"
    os.truncate(ev, ev.stat().st_size - 10)
    with pytest.raises(scribe.TraceError) as e:
        list(scribe.open(str(bad)).events())
    assert e.value.truncated and "ends early" in str(e.value)


def test_corrupt_header(rand_trace, tmp_path):
    bad = tmp_path / "hdr"
    subprocess.run(["cp", "-r", rand_trace.path, str(bad)], check=True)
    (bad / "header").write_bytes(b"garbage")
    with pytest.raises(scribe.TraceError):
        scribe.open(str(bad))


def test_record_error(tmp_path):
    with pytest.raises(scribe.RecordError) as e:
        scribe.record([str(tmp_path / "no-such-program")], trace=str(tmp_path / "t"))
    assert "scribe: " in str(e.value)
    with pytest.raises(TypeError):
        scribe.record("ls")
    # with no trace named, the temporary directory goes too
    import tempfile
    before = set(os.listdir(tempfile.gettempdir()))
    with pytest.raises(scribe.RecordError):
        scribe.record([str(tmp_path / "no-such-program")])
    assert {d for d in set(os.listdir(tempfile.gettempdir())) - before
            if d.startswith("scribe-")} == set()


def test_errors_per_thread(tmp_path):
    """Handles in different threads keep their own messages."""
    import threading
    errors = {}

    def fail_open(name):
        for _ in range(200):
            try:
                scribe.open(str(tmp_path / name))
            except scribe.TraceError as e:
                if name not in str(e):
                    errors[name] = str(e)
                    return

    threads = [threading.Thread(target=fail_open, args=("missing-%d" % i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == {}


def test_threads_share_a_pid(tmp_path, buffer):
    """Threads (clone with CLONE_THREAD) are in their creator's process."""
    t = scribe.record([prog("interleave")], trace=str(tmp_path / "th"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0
    evs = list(t.events())
    assert len({e.tid for e in evs}) == 5        # main and 4 threads
    assert len({e.pid for e in evs}) == 1 and evs[0].pid == evs[0].tid
    tasks = [e for e in evs if e.kind == "task"]
    assert len(tasks) == 4 and all(e.pid != e.tid for e in tasks)
    # tid filter: one thread's events only, and all of them
    one = tasks[0].tid
    mine = list(t.events(tid=one))
    assert mine and all(e.tid == one for e in mine)
    assert len(mine) == sum(1 for e in evs if e.tid == one)


def test_event_struct_size(rand_trace):
    """scribe_trace_next_v fills the caller's size of struct scribe_event:
    a caller built with a later, larger struct gets its array strided
    right and the members it has beyond ours untouched; a smaller one
    than version 1 is refused."""
    import ctypes
    from scribe import _native as N

    class Later(ctypes.Structure):
        _fields_ = [("ev", N.CEvent), ("later", ctypes.c_uint64 * 3)]

    L = N.lib()
    h = ctypes.c_void_p()
    assert L.scribe_trace_open(N.fspath(rand_trace.path), None, ctypes.byref(h)) == 0
    try:
        buf = (Later * 8)()
        for b in buf:
            b.later[0] = b.later[2] = 0x5a5a
        fn = L.scribe_trace_next_v
        n = fn(h, ctypes.cast(buf, ctypes.POINTER(N.CEvent)), 8, ctypes.sizeof(Later))
        assert n == 8
        assert [b.ev.index for b in buf] == list(range(8))
        assert all(b.ev.size == ctypes.sizeof(N.CEvent) for b in buf)
        assert all(b.later[0] == b.later[2] == 0x5a5a for b in buf)
        assert buf[0].ev.kind == N.KINDS["exec"]
        assert fn(h, ctypes.cast(buf, ctypes.POINTER(N.CEvent)), 1, 16) == -1
        assert b"older than any libscribe" in L.scribe_trace_error(h)
    finally:
        L.scribe_trace_close(h)
