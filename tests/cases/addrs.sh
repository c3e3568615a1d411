# Addresses under ASLR: stack, heap, mmap, libc and main replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/addrs"
rr_check --expect-out '^mmap 0x[0-9a-f]+$' -- "$B/addrs"
