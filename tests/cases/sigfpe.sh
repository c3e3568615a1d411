# Integer division by zero raises SIGFPE; the handler siglongjmps out.
. "$TOP/tests/lib.sh"
nondet "$B/sigfpe"
rr_check --expect-out '^round 1: no fault, result 142$' -- "$B/sigfpe"
