# The program sees a vDSO (getauxval(AT_SYSINFO_EHDR)), finds its time
# functions by their dynamic symbols and calls them: the times differ
# between native runs and replay as recorded, and the vDSO's bytes (its
# functions rewritten to make syscalls) are the same, at the same address,
# on replay.
. "$TOP/tests/lib.sh"
nondet "$B/vdso_clock"
rr_check --expect-out '^vdso 0x[0-9a-f]+ [0-9]+ bytes hash [0-9a-f]{16}$' -- "$B/vdso_clock"
want '^monotonic [0-9]+\.[0-9]{9}$' '^time [0-9]+ stored$' '^getcpu 0 set$'
# The calls entered the kernel: the trace has them as system calls.
dump_trace "$T/rr"
grep -q 'clock_gettime' "$T/rr.dump" || fail "no clock_gettime in the trace: the vDSO did not make the syscall"
