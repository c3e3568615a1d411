# SysV shared memory attached after fork by parent and child (a counter
# incremented without a lock), semaphores they take turns through, and a
# message queue; pids, times and a random number in the output.
. "$TOP/tests/lib.sh"
nondet "$B/sysv_ipc"
rr_check --expect-out '^final [0-9]+ ' -- "$B/sysv_ipc"
grep -Eq '^log p0c0p1c1p2c2p3c3p4c4$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -Eq '^parent saw [0-9]+, child saw [0-9]+, child exited 0$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -Eq '^again at the same address: counter [0-9]+, log p0c0' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/sysv_ipc"
