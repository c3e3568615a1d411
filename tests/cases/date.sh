# date +%s.%N: the time in nanoseconds replays as recorded.
. "$TOP/tests/lib.sh"
nondet /usr/bin/date +%s.%N
rr_check --expect-out '^[0-9]+\.[0-9]{9}$' -- /usr/bin/date +%s.%N
