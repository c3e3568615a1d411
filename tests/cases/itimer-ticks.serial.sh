# setitimer every 10 ms for one second over a pure CPU loop: the handler stores
# the loop's counter at each of the 100 ticks; all 100 counts replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/itimer_ticks"
rr_check --expect-out '^ticks 1[0-9][0-9], counts increasing 1, final count [0-9]+$' -- "$B/itimer_ticks"
[ "$(wc -l <"$T/rr.rec.out")" = 11 ] || fail "$(cat "$T/rr.rec.out")"
