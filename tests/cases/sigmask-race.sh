# A 100 us interval timer against a loop that blocks and unblocks SIGALRM
# through the syscall buffer's in-process rt_sigprocmask: the timer often
# fires while the library makes the blocking call, and scribe, which holds
# it until the call ends, then finds it blocked.  It must go back to the
# kernel (and be recorded where the kernel delivers it), not be recorded as
# delivered there: replay failed on every run before (record_signal.c).
. "$TOP/tests/lib.sh"
nondet "$B/sigmask_race"
rr_check --expect-out '^rounds [0-9]+, signals [0-9]+, taken while blocked 0$' \
	-- "$B/sigmask_race"
# Without the buffer (--no-buffer) the same race meets traced calls.
if buffered; then
	dump_trace "$T/rr"
	grep -Eq '^ +rt_sigprocmask\(' "$T/rr.dump" || fail "no buffered rt_sigprocmask in the trace"
fi
