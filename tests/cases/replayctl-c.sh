# libscribe's replay control from a separate C program (tests/tools/
# replayctl-client.c, linked to build/libscribe.so with only
# include/scribe.h): run to the write that printed a random line and read
# the line from the task's memory; stop at a divergence of an edited trace
# and still read the stopped task's registers; pause a CPU-bound replay
# from another thread, then let it finish.
. "$TOP/tests/lib.sh"
cl=$B/replayctl-client
[ -x "$cl" ] || fail "$cl is missing (make test-programs)"
echo "line-of-the-file" >"$T/in.txt"
nondet "$B/libtrace_rand" "$T/in.txt"
rr_check --expect-out '^random [0-9a-f]{16}$' -- "$B/libtrace_rand" "$T/in.txt"
tr=$T/rr
line=$(head -1 "$tr.rec.out")

# to the write: its buffer, read from memory, is the line it printed
"$cl" write "$tr" >"$T/w.out" 2>"$T/w.err" || { cat "$T/w.err" >&2; fail "client write failed"; }
grep -qx "buf=$line" "$T/w.out" || fail "buffer read at the write: $(grep buf= "$T/w.out")"
grep -qx 'orig_rax=1 rdi=1 rdx=24 fs_base_set=1' "$T/w.out" || fail "registers: $(cat "$T/w.out")"
grep -qx 'xsave=ok' "$T/w.out" || fail "no XSAVE area"
grep -Eq '^task tid=[0-9]+ pid=[0-9]+ real=[0-9]+ stream=0 state=0 holder=1$' "$T/w.out" ||
	fail "task list: $(cat "$T/w.out")"
grep -qx 'status=0' "$T/w.out" || fail "run to the end: $(cat "$T/w.out")"
# the program's output went to the callback, all of it
grep -qx "\[fd 1\] $line" "$T/w.err" && grep -q '^\[fd 1\] file line-of-the-file' "$T/w.err" ||
	fail "output callback: $(cat "$T/w.err")"

# an edited getrandom: the session stops at the write that differs
python3 - "$TOP/python" "$tr" "$T/edited" <<'PY' || fail "cannot edit the trace"
import sys
sys.path.insert(0, sys.argv[1])
import scribe
t = scribe.open(sys.argv[2])
g = next(e for e in t.events(kinds="syscall") if e.name == "getrandom" and e.result == 8)
t.edit().set_result(g, 8, bytes.fromhex("0011223344556677")).save(sys.argv[3])
PY
"$cl" diverge "$T/edited" >"$T/d.out" 2>"$T/d.err"; st=$?
[ "$st" = 0 ] || { cat "$T/d.err" >&2; fail "client diverge exited $st"; }
"$SCRIBE" replay "$T/edited" >/dev/null 2>"$T/cli.err"
cli=$(sed -n 's/^scribe: //p' "$T/cli.err")
grep -qxF "message=$cli" "$T/d.out" || fail "message differs from the CLI's: $(cat "$T/d.out") / $cli"
grep -q '^expected=write(1, "random ' "$T/d.out" || fail "expected: $(cat "$T/d.out")"
grep -qx 'inspectable orig_rax=1' "$T/d.out" || fail "not inspectable after the divergence"
grep -qx '\[fd 1\] random 0011223344556677' "$T/d.err" || fail "edited value not printed"

# pause from another thread stops a replay computing with no event
rr_check --name busy -- "$B/replayctl_busy"
"$cl" pause "$T/busy" >"$T/p.out" 2>"$T/p.err" || { cat "$T/p.err" >&2; fail "client pause failed"; }
grep -qx paused "$T/p.out" || fail "not paused: $(cat "$T/p.out")"
grep -Eq '^task .* state=2 holder=1$' "$T/p.out" || fail "the task was not stopped running"
grep -qx 'status=0' "$T/p.out" || fail "did not finish after the pause"
cmp -s <(sed -n 's/^\[fd 1\] //p' "$T/p.err") "$T/busy.rec.out" || fail "output after the pause differs"
no_strays "$B/replayctl_busy"
no_strays "$B/libtrace_rand"
