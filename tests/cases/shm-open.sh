# After fork, parent and child each shm_open and mmap the same POSIX shared
# memory object and increment a counter in it without a lock.
. "$TOP/tests/lib.sh"
nondet "$B/shm_open"
rr_check --expect-out '^final [0-9]+ ' -- "$B/shm_open"
grep -Eq '^parent saw [0-9]+, child saw [0-9]+, child exited 0$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/shm_open"
