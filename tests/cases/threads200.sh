# 200 threads, each returning a value computed from its tid; the sum and the
# completion order replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/threads200"
rr_check --expect-out '^joined 200 threads, sum [0-9]+$' -- "$B/threads200"
[ "$(sed 1,2d "$T/rr.rec.out" | tr ' ' '\n' | sort -n | uniq | tr '\n' ' ')" = "$(seq 0 199 | tr '\n' ' ')" ] ||
	fail "completion order is not a permutation of 0..199"
