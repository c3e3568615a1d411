# Producer/consumer over condition variables: which consumer took which item,
# and when, replays as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/prodcons"
rr_check --expect-out '^total 8200$' -- "$B/prodcons"
[ "$(grep -c '^consumer [12] took [0-9]+ at [0-9]+ ns$' -E "$T/rr.rec.out")" = 40 ] || fail "$(cat "$T/rr.rec.out")"
