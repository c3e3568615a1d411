# Two CPU-bound threads of one process, preempted in turn in the middle of
# user code, change the process's kernel state between stretches of pure
# computation through calls the syscall buffer makes in-process (the heap's
# break, anonymous maps, a signal action, the signal mask).  Replay restores
# preempted slices from snapshots without running them, so it must make
# those calls itself: the blocks, the handler SIGUSR1 reaches and the mask
# printed at the end replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/slice_state"
rr_check --expect-out '^break grew: 1$' -- "$B/slice_state"
want '^thread 0: [1-9][0-9]* rounds' '^thread 1: [1-9][0-9]* rounds' '^SIGUSR1 caught by handler [12];'
"$SCRIBE" dump "$T/rr" >"$T/dump" || fail "scribe dump failed"
if buffered; then
	# (Without the buffer every round's clock_gettime is a stop, where a
	# holder that kept its contended domain for a slice lets it go:
	# record_syscall.c's yield; no thread computes a slice long then.)
	grep -q 'preempted at .*snapshot' "$T/dump" || fail "no preemption was placed by a snapshot"
	# a slice restored by replay made buffered calls that it re-made
	awk '/buffered calls ---/ { b = 0 } /^ +(brk|mmap|rt_sigaction|rt_sigprocmask)\(/ { b = 1 }
	     /preempted at .*snapshot/ && b { found = 1 } END { exit !found }' "$T/dump" ||
		fail "no snapshot-restored slice made a buffered brk, mmap, sigaction or sigprocmask"
fi
