# int3 raises SIGTRAP; the handler prints and returns, the program carries on.
. "$TOP/tests/lib.sh"
nondet "$B/sigtrap"
rr_check --expect-out '^traps 3$' -- "$B/sigtrap"
