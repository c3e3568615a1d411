# 4 threads pass a pthread barrier 3 times; the order they passed it and when.
. "$TOP/tests/lib.sh"
nondet "$B/barrier"
rr_check -- "$B/barrier"
[ "$(grep -Ec '^round [0-2] \(1 serial\):( t[0-3]@[0-9]+){4}$' "$T/rr.rec.out")" = 3 ] || fail "$(cat "$T/rr.rec.out")"
