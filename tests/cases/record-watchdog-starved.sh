# No silent hangs while the program moves either: a recording in which a
# task runs for 10 s while scribe holds a signal back from it (its program
# waits for that signal) ends with one `scribe: ` line and exit 125.
# SCRIBE_TEST_HOLD_FOREVER=1 makes the recorder never let a held signal in
# at a signature (as when every interrupt meant to place it was lost: a
# periodic timer's stops took them all, timer-create once hung so):
# alarm_count's one-shot SIGALRM reaches its pure CPU loop and is held for
# good.  The task stops for nothing and never looks stuck to the first rule
# (every task in a ptrace stop).  The trace replays up to there.
. "$TOP/tests/lib.sh"
tag=watchdog-starved-$$-$RANDOM
start=$(date +%s)
SCRIBE_TEST_HOLD_FOREVER=1 timeout -k 5 60 "$SCRIBE" record -q -o "$T/w" -- "$B/alarm_count" "$tag" \
	>"$T/w.out" 2>"$T/w.err" </dev/null
rs=$?
secs=$(( $(date +%s) - start ))
[ "$rs" = 125 ] || fail "record exited $rs after $secs s: $(cat "$T/w.err")"
[ "$(grep -c '^scribe: ' "$T/w.err")" = 1 ] || fail "stderr: $(cat "$T/w.err")"
grep -Eq '^scribe: task [0-9]+ computed for [0-9.]+ s while scribe held back its signal SIGALRM for 10 s: the program was killed and the trace ends here' "$T/w.err" ||
	fail "stderr: $(cat "$T/w.err")"
[ "$secs" -ge 10 ] && [ "$secs" -le 45 ] || fail "the watchdog fired after $secs s"
echo "watchdog: exit $rs after $secs s: $(cat "$T/w.err")"
timeout -k 5 60 "$SCRIBE" replay "$T/w" >"$T/w.rep" 2>"$T/w.rep.err" </dev/null
ps=$?
[ "$ps" = 125 ] && [ "$(grep -c '^scribe: ' "$T/w.rep.err")" = 1 ] ||
	fail "replay of the stopped recording exited $ps: $(cat "$T/w.rep.err")"
no_strays "$tag"
