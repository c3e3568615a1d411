# Random bytes: getrandom and reads of /dev/urandom replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/random"
rr_check --expect-out '^urandom 32:[0-9a-f]{64}$' -- "$B/random"
