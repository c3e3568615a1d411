# A system call scribe's table does not know (process_madvise, called
# three times with a bad pidfd: harmless, EBADF) is let through: the
# program sees the kernel's answer, and scribe warns exactly once,
#   scribe: warning: process_madvise is not supported: ...
# Replay succeeds with the same output and status and warns once that the
# call was recorded without its memory effects (and where).  info lists
# it.  Written out by hand: rr_check compares stderr byte for byte, and
# the two warnings differ.
. "$TOP/tests/lib.sh"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }
"$B/unsupported" >"$T/native.out" 2>"$T/native.err" || fail "the program failed natively"
[ "$(grep -c '= -1 errno 9 ' "$T/native.out")" = 3 ] || fail "natively the call did not fail with EBADF three times: $(cat "$T/native.out")"

tr=$T/u
sc record -q -o "$tr" -- "$B/unsupported" </dev/null >"$T/rec.out" 2>"$T/rec.err"
rs=$?
[ "$rs" = 0 ] || { cat "$T/rec.err" >&2; fail "record exited $rs"; }
cmp -s "$T/native.out" "$T/rec.out" || { diff "$T/native.out" "$T/rec.out" >&2; fail "the program's output under scribe differs from its native output"; }
[ "$(grep -c '^scribe: ' "$T/rec.err")" = 1 ] || fail "record: not exactly one 'scribe:' line: $(cat "$T/rec.err")"
grep -q '^scribe: warning: process_madvise is not supported' "$T/rec.err" ||
	fail "record: no 'scribe: warning: process_madvise is not supported' line: $(cat "$T/rec.err")"
[ "$(grep -v '^scribe: ' "$T/rec.err" | wc -c)" = 0 ] || fail "record: unexpected stderr: $(cat "$T/rec.err")"

sc replay "$tr" </dev/null >"$T/rep.out" 2>"$T/rep.err"
ps=$?
[ "$ps" = 0 ] || { cat "$T/rep.err" >&2; fail "replay exited $ps"; }
cmp -s "$T/rec.out" "$T/rep.out" || { diff "$T/rec.out" "$T/rep.out" >&2; fail "stdout differs between record and replay"; }
[ "$(grep -c '^scribe: ' "$T/rep.err")" = 1 ] || fail "replay: not exactly one 'scribe:' line: $(cat "$T/rep.err")"
grep -Eq '^scribe: warning: event [0-9]+: process_madvise was recorded without its memory effects' "$T/rep.err" ||
	fail "replay: no 'scribe: warning: event N: process_madvise was recorded without its memory effects' line: $(cat "$T/rep.err")"
[ "$(grep -v '^scribe: ' "$T/rep.err" | wc -c)" = 0 ] || fail "replay: unexpected stderr: $(cat "$T/rep.err")"
# N is the event of the first call
ev=$(sed -nE 's/^scribe: warning: event ([0-9]+):.*/\1/p' "$T/rep.err")
sc dump "$tr" >"$T/dump.out" || fail "dump failed"
first=$(grep -E '^ *[0-9]+ \[[0-9]+\] process_madvise\(' "$T/dump.out" | head -1 | awk '{print $1}')
[ -n "$first" ] || fail "dump shows no process_madvise event: $(grep -c . "$T/dump.out") lines"
[ "$(grep -Ec '^ *[0-9]+ \[[0-9]+\] process_madvise\(' "$T/dump.out")" = 3 ] || fail "dump does not show three process_madvise events"
[ "$ev" = "$first" ] || fail "replay's warning names event $ev, the first process_madvise is event $first"

sc info "$tr" >"$T/info.out" || fail "info failed"
grep -q '^warnings: .*process_madvise' "$T/info.out" || fail "info does not list process_madvise among the warnings: $(cat "$T/info.out")"
n=$(sc info --events "$tr") || fail "info --events failed"
[ "$n" -gt 0 ] || fail "the trace has no events"
