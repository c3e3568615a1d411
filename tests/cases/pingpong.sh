# 100 SIGUSR1/SIGUSR2 round trips between a parent and its child; the counts
# and the elapsed time replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/pingpong"
rr_check --expect-out '^parent: 100 SIGUSR2 received, 0 SIGUSR1; child exited 0$' -- "$B/pingpong"
grep -q '^child: 100 SIGUSR1 received, 0 SIGUSR2$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/pingpong"
