# Under the AddressSanitizer/UBSan build of scribe, a copy of segv-mprotect.sh:
# SIGSEGV on a read-only page; the handler mprotects it read-write and returns, the
# faulting write is retried.
. "$TOP/tests/lib.sh"
nondet "$B/segv_mprotect"
rr_check --expect-out '^faults 2 values a c b$' -- "$B/segv_mprotect"
