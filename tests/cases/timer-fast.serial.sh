# Two POSIX timers (SIGRTMIN+1 every 300 us and every 700 us) interrupt a
# pure CPU loop until the first has signalled 200 times.  A signal that
# reaches the loop is held for a signature; while it waits, the timers go on
# firing (the kernel re-arms a timer when its signal is taken: here, held).
# The recorder once kept such a signal for seconds -- the interrupts meant
# to place it were each taken by a timer signal's own stop first -- and
# held every expiry as a signal of its own, then let thousands in at once
# (8000 to 15000 handler calls, 4 to 40 s, where natively about 300 run in
# 0.1 s; timer-create, every 5 ms, hung one recording in 300).  Now the
# signal goes in at such a stop, and a timer's expiries beyond the one
# pending behind it add to its overrun, as the kernel counts them.  Record
# and replay agree, every signal is a timer's with its si_value, and the
# handler runs about as often as natively.
. "$TOP/tests/lib.sh"
nondet "$B/timer_fast"
rr_check --expect-out '^handler calls [0-9]+, wrong 0, loop [0-9]+$' -- "$B/timer_fast"
n1=$(sed -n 's/^timer 1: \([0-9]*\) signals.*/\1/p' "$T/rr.rec.out")
calls=$(sed -n 's/^handler calls \([0-9]*\),.*/\1/p' "$T/rr.rec.out")
[ -n "$n1" ] && [ -n "$calls" ] || fail "output: $(cat "$T/rr.rec.out")"
[ "$n1" -le 250 ] && [ "$calls" -le 600 ] ||
	fail "the recorded program got $n1 signals of the first timer (the loop stops at 200) and ran its handler $calls times: $(cat "$T/rr.rec.out")"
