# A program that calls ptrace itself (PTRACE_ATTACH to a child it forked,
# then PTRACE_TRACEME) cannot, under scribe: it sees -1 EPERM each time,
# and scribe prints one warning line (once, though called twice).  Replay
# prints the same stdout and exits the same.  Written out by hand since
# the warning is on record's stderr only.
. "$TOP/tests/lib.sh"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }
tr=$T/p
sc record -q -o "$tr" -- "$B/ptrace_me" </dev/null >"$T/rec.out" 2>"$T/rec.err"
rs=$?
[ "$rs" = 0 ] || { cat "$T/rec.err" >&2; fail "record exited $rs"; }
grep -qx 'PTRACE_ATTACH child = -1 errno 1 (Operation not permitted)' "$T/rec.out" ||
	fail "PTRACE_ATTACH under scribe did not fail with EPERM: $(cat "$T/rec.out")"
grep -qx 'PTRACE_TRACEME = -1 errno 1 (Operation not permitted)' "$T/rec.out" ||
	fail "PTRACE_TRACEME under scribe did not fail with EPERM: $(cat "$T/rec.out")"
grep -qx 'child killed by signal 9' "$T/rec.out" || fail "the forked child did not die of SIGKILL: $(cat "$T/rec.out")"
[ "$(grep -c '^scribe: ' "$T/rec.err")" = 1 ] || fail "record: not exactly one 'scribe:' line: $(cat "$T/rec.err")"
grep -Eq '^scribe: warning: .*ptrace.*EPERM' "$T/rec.err" ||
	fail "record: no 'scribe: warning: ... ptrace ... EPERM' line: $(cat "$T/rec.err")"
[ "$(grep -v '^scribe: ' "$T/rec.err" | wc -c)" = 0 ] || fail "record: unexpected stderr: $(cat "$T/rec.err")"

sc replay "$tr" </dev/null >"$T/rep.out" 2>"$T/rep.err"
ps=$?
if [ "$ps" = 125 ] && grep -q '^scribe: ' "$T/rep.err"; then
	grep '^scribe: ' "$T/rep.err" >&2
	fail "replay failed"
fi
cmp -s "$T/rec.out" "$T/rep.out" || { diff "$T/rec.out" "$T/rep.out" >&2; fail "stdout differs between record and replay"; }
[ "$rs" = "$ps" ] || fail "exit status differs: record $rs, replay $ps"
[ -z "$(grep -v '^scribe: warning: ' "$T/rep.err")" ] || fail "replay: unexpected stderr: $(cat "$T/rep.err")"
n=$(sc info --events "$tr") || fail "info --events failed"
[ "$n" -gt 0 ] || fail "the trace has no events"
dump_trace "$tr"
[ "$(grep -Ec '\] ptrace\(.*= -1 EPERM' "$tr.dump")" = 2 ] || fail "dump does not show two ptrace calls answered EPERM"
no_strays "$B/ptrace_me"
