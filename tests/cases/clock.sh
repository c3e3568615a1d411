# Clocks: realtime, monotonic, gettimeofday and time() replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/clock"
rr_check -- "$B/clock"
