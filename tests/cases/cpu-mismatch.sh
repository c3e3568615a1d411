# A trace recorded on another CPU still replays (the program here does not
# dispatch on cpuid), with one "scribe: warning:" line naming both CPUs;
# the program's own stdout, stderr and status are unchanged.  Done by hand
# rather than with rr_check, which compares stderr byte for byte.
. "$TOP/tests/lib.sh"
TOOL=$B/trace-tool
[ -x "$TOOL" ] || fail "$TOOL is missing (make test-programs)"
nondet "$B/clock"
tr=$T/cpu
"$SCRIBE" record -q -o "$tr" -- "$B/clock" >"$T/rec.out" 2>"$T/rec.err"
rs=$?
[ "$rs" = 0 ] || { cat "$T/rec.err" >&2; fail "record exited $rs"; }
# Same CPU: no warning.
"$SCRIBE" replay "$tr" >"$T/rep0.out" 2>"$T/rep0.err" || { cat "$T/rep0.err" >&2; fail "replay failed"; }
! grep -q 'warning:.*CPU' "$T/rep0.err" || fail "CPU warning on the recording machine: $(cat "$T/rep0.err")"
fake="GenuineFake 99.98.7 features=0123456789abcdef"
"$TOOL" set-cpu "$tr" "$fake" || fail "trace-tool set-cpu failed"
"$SCRIBE" info "$tr" | grep -qF "$fake" || fail "scribe info does not show the new CPU '$fake'"
"$SCRIBE" replay "$tr" </dev/null >"$T/rep.out" 2>"$T/rep.err"
ps=$?
cmp -s "$T/rec.out" "$T/rep.out" || { diff "$T/rec.out" "$T/rep.out" >&2; fail "stdout differs between record and replay"; }
[ "$rs" = "$ps" ] || { cat "$T/rep.err" >&2; fail "exit status differs: record $rs, replay $ps"; }
grep '^scribe: warning: ' "$T/rep.err" | grep -i 'cpu' | grep -qF "$fake" ||
	fail "no 'scribe: warning:' line naming the recorded CPU on stderr: $(cat "$T/rep.err")"
[ "$(grep -c '^scribe: warning: .*CPU' "$T/rep.err")" = 1 ] || fail "the CPU warning is not printed exactly once"
cmp -s <(grep -v '^scribe: warning: .*CPU' "$T/rep.err") "$T/rec.err" ||
	fail "stderr differs between record and replay beyond the CPU warning: $(cat "$T/rep.err")"
