# 4 threads increment a shared counter without a lock, each running long enough
# (~100 ms) to be preempted when recorded: the total, the finishing order and
# what each thread saw are racy natively; replay prints the recorded ones.
. "$TOP/tests/lib.sh"
nondet "$B/racy_counter"
rr_check --expect-out '^total [0-9]+ ' -- "$B/racy_counter"
grep -Eq '^finish order:( [0-3]){4}$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -Eq '^seen at finish:( [0-9]+){4}$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
