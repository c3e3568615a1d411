# Every combination of 1-4 of SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN+1,
# blocked, sent (raise, kill, sigqueue and pthread_kill from another
# thread; real-time ones sometimes twice), then unblocked at once: the
# handlers must run in the native order, with the native siginfo, none
# lost, nested or one after the other as natively (issue 16: SIGUSR2 was
# lost; without the buffer the second one ran after the first's handler).
# Last, the four are sent while the program computes without a syscall:
# all four handlers must run (the recorder held the first and lost the
# rest: "1 handlers ran").
. "$TOP/tests/lib.sh"
"$B/sigmap_order" >"$T/native.out" 2>&1 || fail "native run failed: $(cat "$T/native.out")"
rr_check --expect-out '^done 30 rounds$' -- "$B/sigmap_order"
want '^while computing: 4 handlers ran, signals f$'
diff "$T/native.out" "$T/rr.rec.out" >"$T/diff" ||
	fail "the recorded run's handlers differ from the native run's: $(head -6 "$T/diff")"
