# rdtsc/rdtscp: the time-stamp counter values (and rdtscp's aux) replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/rdtsc"
rr_check --expect-out '^rdtsc [0-9]+ rdtscp [0-9]+ aux' -- "$B/rdtsc"
[ "$(grep -c '^rdtsc' "$T/rr.rec.out")" = 5 ] || fail "expected 5 rdtsc lines"
