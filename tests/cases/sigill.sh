# ud2 raises SIGILL; the handler skips the instruction by REG_RIP += 2.
. "$TOP/tests/lib.sh"
nondet "$B/sigill"
rr_check --expect-out '^round 2: ills 3 si_code 2 .* x 12$' -- "$B/sigill"
