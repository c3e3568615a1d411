# scribe chaos: --timeout stops a run that hangs and keeps its trace (cut
# where it was stopped, and it replays to there), --check fails a run
# that exited 0, --keep-all keeps passing runs, bad options are one line
# and exit 125.
. "$TOP/tests/lib.sh"
# A run past --timeout: kept, signature "timeout"; sleep dies of the
# SIGTERM scribe record passes on, and its replay does too.
"$SCRIBE" chaos -n 2 -j 2 --timeout 0.5 -o "$T/to" -- /bin/sleep 30 >"$T/to.sum" 2>"$T/to.err"
st=$?
cat "$T/to.sum"
[ "$st" = 1 ] || fail "chaos with a hanging program exited $st: $(cat "$T/to.err")"
grep -Eq '^failure 1 \(2 runs\): timeout after 0.5s$' "$T/to.sum" || fail "no timeout signature"
[ -d "$T/to/run-1" ] && [ -d "$T/to/run-2" ] || fail "the timed-out traces were not kept"
no_strays "sleep 30"
("$SCRIBE" replay "$T/to/run-1" >/dev/null 2>"$T/to.rep")
st=$?
[ "$st" = 143 ] || fail "replay of the stopped run exited $st: $(cat "$T/to.rep")"
! grep -q '^scribe:' "$T/to.rep" || fail "replay of the stopped run: $(cat "$T/to.rep")"

# --check: the run passes, the check fails it; it sees the trace and status.
"$SCRIBE" chaos -n 3 -j 2 --check 'test -d "$SCRIBE_TRACE" && test "$SCRIBE_STATUS" = 0 && grep -q nope "$SCRIBE_TRACE.out"' \
	-o "$T/ck" -- "$B/lost_update" 1000 >"$T/ck.sum" 2>&1
st=$?
cat "$T/ck.sum"
[ "$st" = 1 ] || fail "a failing --check did not fail the runs ($st)"
grep -Eq '^failure 1 \(3 runs\): check failed: exit 1$' "$T/ck.sum" || fail "no check signature"
"$SCRIBE" chaos -n 3 --check 'grep -q "^total 2000, expected 2000$" "$SCRIBE_TRACE.out"' \
	-o "$T/ok" -- "$B/lost_update" 1000 >"$T/ok.sum" 2>&1 || fail "a passing --check failed: $(cat "$T/ok.sum")"
grep -q '^scribe chaos: 3 runs, 0 failed, 0 distinct failures$' "$T/ok.sum" || fail "$(cat "$T/ok.sum")"
[ -z "$(ls "$T/ok")" ] || fail "passing runs left files: $(ls "$T/ok")"

# --keep-all and --seed: every trace kept, seeds SEED, SEED+1.
"$SCRIBE" chaos -n 2 --keep-all --seed 40 -o "$T/ka" -- "$B/lost_update" 1000 >/dev/null 2>&1 ||
	fail "chaos --keep-all failed"
"$SCRIBE" info "$T/ka/run-2" | grep -Eq '^chaos: +seed 41 ' || fail "run 2 has not seed 41"

expect_status 125 'not a positive number' "$SCRIBE" chaos -n 0 -- /bin/true
expect_status 125 'not a positive number of seconds' "$SCRIBE" chaos --timeout x -- /bin/true
expect_status 125 'no program given' "$SCRIBE" chaos -n 2
expect_status 125 'already exists' "$SCRIBE" chaos -o "$T/ka" -- /bin/true
expect_status 125 'not found|No such' "$SCRIBE" chaos -o "$T/nf" -- /nonexistent/prog
"$SCRIBE" chaos --help | grep -q '^Usage: scribe chaos' || fail "no --help"
