# 4 threads append their id to a shared log under a mutex; the order (as runs
# id*count) replays as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/interleave"
rr_check -- "$B/interleave"
grep -Eq '^entries 8000 runs [0-9]+ per thread 2000 2000 2000 2000$' "$T/rr.rec.out" || fail "$(tail -1 "$T/rr.rec.out")"
