# Under the AddressSanitizer/UBSan build of scribe, a copy of sigusr-self.sh:
# raise(SIGUSR1) and kill(getpid(), SIGUSR1) with a SA_SIGINFO handler that prints
# si_code and si_pid, then continues; and a blocked signal delivered on unblock.
. "$TOP/tests/lib.sh"
nondet "$B/sigusr_self"
rr_check --expect-out '^after unblock: got 10 si_code -6$' -- "$B/sigusr_self"
grep -q '^continuing after the handlers$' "$T/rr.rec.out" || fail "did not continue"
