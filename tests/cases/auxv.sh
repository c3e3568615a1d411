# getauxval(AT_RANDOM): the kernel's 16 random bytes replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/auxv"
rr_check --expect-out '^AT_RANDOM [0-9a-f]{32}$' -- "$B/auxv"
