# A memfd created and sized before fork, mmap'd MAP_SHARED by parent and child
# after it; both increment a counter in it 50,000,000 times without a lock.
. "$TOP/tests/lib.sh"
nondet "$B/memfd_shared"
rr_check --expect-out '^final [0-9]+ ' -- "$B/memfd_shared"
grep -Eq '^parent saw [0-9]+, child saw [0-9]+, child exited 0$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/memfd_shared"
