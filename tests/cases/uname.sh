# uname: deterministic natively, but must still come from the trace.
. "$TOP/tests/lib.sh"
rr_check --expect-out '^sysname Linux$' -- "$B/uname"
cmp -s "$T/rr.rec.out" <("$B/uname") || fail "recorded uname differs from a native run"
