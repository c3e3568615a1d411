# A thread writes a buffer another thread keeps changing: the recorded
# bytes are those at the call's entry, and replay checks exactly those.
. "$TOP/tests/lib.sh"
nondet "$B/write_shared"
rr_check --expect-out '^changer ran [0-9]+ times' -- "$B/write_shared"
