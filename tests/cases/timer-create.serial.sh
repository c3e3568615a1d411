# A POSIX timer (timer_create on CLOCK_MONOTONIC, SIGEV_SIGNAL SIGRTMIN+1,
# every 5 ms) interrupts a pure CPU loop 50 times; the handler's view of the
# loop counter, si_value and si_overrun replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/timer_create"
rr_check --expect-out '^signal [0-9]+ \(SIGRTMIN\+1\), 0 ticks with a wrong si_value or si_code$' -- "$B/timer_create"
[ "$(grep -Ec '^tick +[0-9]+: counter [0-9]+ value 4242 overrun [0-9]+$' "$T/rr.rec.out")" = 50 ] ||
	fail "expected 50 ticks: $(head -5 "$T/rr.rec.out")"
