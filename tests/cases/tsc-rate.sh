# rdtsc as a clock: the recorder reads the real counter at most every 10 ms
# and scales the raw monotonic clock in between (core/cpu.c).  A program
# timing 2000 reads against CLOCK_MONOTONIC must see a counter that never
# goes back and runs at the hardware's rate (within 2% of a native run);
# replay prints what the recording printed (which includes the nanoseconds
# and ticks measured: they differ between runs).
. "$TOP/tests/lib.sh"
nondet "$B/tsc_rate"
native=$("$B/tsc_rate" | sed -n 's/^mhz //p')
[ -n "$native" ] && [ "$native" -gt 0 ] || fail "native run printed no rate"
rr_check --expect-out '^monotonic 1$' -- "$B/tsc_rate"
rec=$(sed -n 's/^mhz //p' "$T/rr.rec.out")
[ -n "$rec" ] || fail "recorded run printed no rate"
diff=$(( rec > native ? rec - native : native - rec ))
[ $(( diff * 50 )) -le "$native" ] || fail "recorded rate $rec MHz, native $native MHz: more than 2% apart"
