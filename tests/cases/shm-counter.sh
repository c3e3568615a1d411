# Parent and child increment a counter in MAP_SHARED anonymous memory (mapped
# before fork) without a lock; the final value replays as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/shm_counter"
rr_check --expect-out '^final [0-9]+ ' -- "$B/shm_counter"
grep -Eq '^parent saw [0-9]+, child saw [0-9]+, child exited 0$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/shm_counter"
