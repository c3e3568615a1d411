# A zombie: the child exits at once, the parent sleeps, reads state Z from
# /proc/PID/stat, then reaps it.
. "$TOP/tests/lib.sh"
nondet "$B/zombie"
rr_check --expect-out '^child [0-9]+ \(zombie\) state Z$' -- "$B/zombie"
grep -q '^reaped: matched 1 exited 1 status 5$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -q '^after reaping: gone$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/zombie"
