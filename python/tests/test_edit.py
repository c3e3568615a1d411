"""Editing traces: a getrandom result, a cut, a dropped signal."""

import subprocess

import pytest

import scribe
from conftest import prog, replay


def first_getrandom(t):
    return next(e for e in t.events(kinds="syscall")
                if e.name == "getrandom" and e.result == 8)


def test_edit_getrandom(rand_trace, tmp_path):
    """The replay prints the new value, then stops where the program
    departs from the log: its write of the line is not the recorded one."""
    g = first_getrandom(rand_trace)
    new = bytes.fromhex("0011223344556677")
    assert g.data != new
    t2 = rand_trace.edit().set_result(g, 8, new).save(str(tmp_path / "edited"))
    assert first_getrandom(t2).data == new
    assert t2.info["complete"]
    st, out, err = replay(t2)
    assert out == "random 0011223344556677\n"
    assert st == 125 and "diverged" in err and "expected write" in err
    # the original still replays as recorded
    st, out, err = replay(rand_trace)
    assert st == 0 and out == rand_trace.stdout.decode(), err


def test_edit_unprinted_completes(rand_trace, tmp_path):
    """An edit the program never shows: the replay completes."""
    g = first_getrandom(rand_trace)
    t2 = rand_trace.edit().set_result(g, 8, g.data).save(str(tmp_path / "same"))
    st, out, err = replay(t2)
    assert st == 0 and out == rand_trace.stdout.decode(), err


def test_cut(rand_trace, tmp_path):
    """Cut before the write of the file line: replay prints the random
    line, then says the trace ends early."""
    w = [e for e in rand_trace.events(kinds="syscall") if e.name == "write"][-1]
    assert b"the-file-line" in w.data
    t2 = rand_trace.edit().cut(w).save(str(tmp_path / "cut"))
    assert not t2.info["complete"]
    with pytest.raises(scribe.TraceError) as e:
        list(t2.events())
    assert e.value.truncated
    st, out, err = replay(t2)
    assert out == rand_trace.stdout.decode().splitlines(True)[0]
    assert st == 125 and "trace ends early" in err and "interrupted" in err


def test_drop_signal(tmp_path, buffer):
    t = scribe.record([prog("sigusr_self")], trace=str(tmp_path / "sig"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.returncode == 0
    sigs = list(t.events(kinds="signal"))
    assert len(sigs) >= 2 and all(s.name == "SIGUSR1" for s in sigs)
    t2 = t.edit().drop(sigs[1]).save(str(tmp_path / "dropped"))
    assert len(list(t2.events(kinds="signal"))) == len(sigs) - 1
    assert t2.info["events"] == t.info["events"] - 1
    st, out, err = replay(t2)
    assert st == 125 and "diverged" in err


def test_reorder_outputs(tmp_path, buffer):
    """The child's line and the parent's, swapped: replay prints them the
    other way round (its wait4 is answered from the trace, so nothing
    holds the parent back)."""
    t = scribe.record([prog("libtrace_two")], trace=str(tmp_path / "two"),
                      stdout=subprocess.PIPE, buffer=buffer)
    assert t.stdout == b"child 1\nparent after child\n"
    outs = [e for e in t.events(kinds="syscall") if e.stdout]
    assert len(outs) == 2 and outs[0].stream != outs[1].stream
    t2 = t.edit().reorder(outs[0], outs[1]).save(str(tmp_path / "swapped"))
    st, out, err = replay(t2)
    assert st == 0 and out == "parent after child\nchild 1\n", err
    with pytest.raises(scribe.TraceError, match="one stream keep their order"):
        t.edit().reorder(outs[0], (outs[0].stream, outs[0].stream_index - 1, 0))
    ex = next(t.events(kinds="exec"))
    other = next(o for o in outs if o.stream != ex.stream)
    with pytest.raises(scribe.TraceError, match="no output"):
        t.edit().reorder(other, ex)


def test_edit_errors(rand_trace, tmp_path):
    ed = rand_trace.edit()
    ex = next(rand_trace.events(kinds="exec"))
    with pytest.raises(scribe.TraceError, match="only signals"):
        ed.drop(ex)
    with pytest.raises(scribe.TraceError, match="only a syscall"):
        ed.set_result(ex, 0)
    with pytest.raises(scribe.TraceError, match="no event"):
        ed.cut((0, 10**9, 0))
    (tmp_path / "exists").mkdir()
    with pytest.raises(scribe.TraceError, match="cannot create"):
        ed.save(str(tmp_path / "exists"))


def test_save_of_damaged_trace(rand_trace, tmp_path):
    """An edit of a trace damaged after its header: save fails with the
    reader's message and leaves no half-written trace."""
    bad = tmp_path / "bad"
    subprocess.run(["cp", "-r", rand_trace.path, str(bad)], check=True)
    ev = bad / "events.0"
    data = bytearray(ev.read_bytes())
    data[60] ^= 0xff
    ev.write_bytes(bytes(data))
    ed = scribe.open(str(bad)).edit()
    with pytest.raises(scribe.TraceError, match="corrupt trace"):
        ed.save(str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
