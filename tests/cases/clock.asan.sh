# The clock test again, under the AddressSanitizer/UBSan build of scribe.
. "$TOP/tests/lib.sh"
nondet "$B/clock"
rr_check -- "$B/clock"
