# Thread A spins on an atomic flag incrementing a counter in memory, no system
# call in the loop, until thread B, after sleeping 50 ms, sets the flag; the
# spin count replays as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/spin" mem
rr_check --expect-out '^spun [0-9]+ ns \(at least 50 ms: 1\)$' -- "$B/spin" mem
grep -Eq '^spins [1-9][0-9]*$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
