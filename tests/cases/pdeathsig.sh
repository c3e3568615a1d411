# PR_SET_PDEATHSIG(SIGUSR1) in a grandchild whose parent then exits: its
# SA_SIGINFO handler sees si_code/si_pid of the dying parent, getppid()
# changes afterwards; the top process waits for it through a pipe.
. "$TOP/tests/lib.sh"
nondet "$B/pdeathsig"
rr_check --expect-out '^handler: signo 10 si_code 0 \(SI_USER=0\) si_pid [0-9]+ \(middle 1\)$' -- "$B/pdeathsig"
out=$T/rr.rec.out
grep -Eq '^grandchild: pdeathsig 10, parent before [0-9]+ \(middle 1\)$' "$out" || fail "$(cat "$out")"
grep -Eq '^getppid after: [0-9]+, still middle 0, top 0$' "$out" || fail "$(cat "$out")"
grep -q '^top: pipe closed (read 0); middle: waitpid matched 1, exit status 5$' "$out" || fail "$(cat "$out")"
grep -q '^no more children 1$' "$out" || fail "$(cat "$out")"
no_strays "$B/pdeathsig"
