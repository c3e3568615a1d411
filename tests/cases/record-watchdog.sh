# No silent hangs: a recording that makes no progress for 10 s while every
# task is stopped by scribe ends with one `scribe: ` line naming each task
# and its state, and exit 125.  exit_main_sig's main thread leaves with
# SYS_exit while the thread it just made has a signal pending: the
# recorder waits for the leader to be reported gone, which the kernel does
# only once its last thread is gone (a bug the watchdog reports, not
# hides).  And a program in a group-stop longer than that is not stuck: it
# waits for a SIGCONT from outside, and its recording goes on after it.
. "$TOP/tests/lib.sh"
tag=record-watchdog-$$-$RANDOM
[ -x "$B/exit_main_sig" ] || fail "$B/exit_main_sig is missing (make test-programs)"
"$B/exit_main_sig" >"$T/nat.out"; ns=$?
[ "$ns" = 7 ] || fail "native run exited $ns, expected 7"

start=$(date +%s)
timeout -k 5 60 "$SCRIBE" record -q -o "$T/w" -- "$B/exit_main_sig" "$tag" >"$T/w.out" 2>"$T/w.err" </dev/null
rs=$?
secs=$(( $(date +%s) - start ))
if [ "$rs" = 7 ]; then
	# Recorded like native: the hang is gone; then it must replay.
	rr_check --status 7 -- "$B/exit_main_sig" "$tag"
else
	[ "$rs" = 125 ] || fail "record exited $rs after $secs s: $(cat "$T/w.err")"
	[ "$(grep -c '^scribe: ' "$T/w.err")" = 1 ] || fail "stderr: $(cat "$T/w.err")"
	grep -Eq '^scribe: the recording made no progress for 10 s, every task stopped by scribe: [0-9]+ \(exit_main_sig\) exited.*; [0-9]+ \(exit_main_sig\) stopped by scribe' "$T/w.err" ||
		fail "stderr: $(cat "$T/w.err")"
	# 10 s after the last stop, plus start-up (slow under ASan on a
	# loaded machine).
	[ "$secs" -ge 10 ] && [ "$secs" -le 45 ] || fail "the watchdog fired after $secs s"
	echo "watchdog: exit $rs after $secs s: $(cat "$T/w.err")"
	# The trace is kept up to there; its replay ends with one line too
	# (replay's own watchdog: the same leader's exit holds it), not a hang.
	timeout -k 5 60 "$SCRIBE" replay "$T/w" >"$T/w.rep" 2>"$T/w.rep.err" </dev/null
	ps=$?
	[ "$ps" = 125 ] && [ "$(grep -c '^scribe: ' "$T/w.rep.err")" = 1 ] ||
		fail "replay of the stopped recording exited $ps: $(cat "$T/w.rep.err")"
	cmp -s "$T/w.out" "$T/w.rep" || fail "the replay printed other lines"
fi
no_strays "$tag"

# 12 s in a group-stop, then SIGCONT from outside: not a hang.
"$SCRIBE" record -q -o "$T/s" -- sh -c "echo before; kill -STOP \$\$; echo after; : $tag" \
	>"$T/s.out" 2>"$T/s.err" </dev/null &
rec=$!
for i in $(seq 100); do grep -q before "$T/s.out" && break; sleep 0.1; done
sleep 12
kill -0 $rec 2>/dev/null || fail "the recording of a stopped program ended: $(cat "$T/s.err")"
pid=$(pgrep -f -- "^sh -c echo before.*$tag" | head -1)
[ -n "$pid" ] || fail "no stopped program found"
kill -CONT "$pid"
for i in $(seq 100); do kill -0 $rec 2>/dev/null || break; sleep 0.1; done
kill -0 $rec 2>/dev/null && { kill -KILL $rec; fail "the recording did not end after SIGCONT"; }
wait $rec
rs=$?
[ "$rs" = 0 ] || fail "the recording after SIGCONT exited $rs: $(cat "$T/s.err")"
[ "$(cat "$T/s.out")" = "before
after" ] || fail "output: $(cat "$T/s.out")"
"$SCRIBE" replay "$T/s" >"$T/s.rep" 2>"$T/s.rep.err" </dev/null || fail "replay: $(cat "$T/s.rep.err")"
cmp -s "$T/s.out" "$T/s.rep" || fail "replay printed other lines"
