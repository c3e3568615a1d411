# A sibling process (forked first) sleeps 100 ms, then kill(SIGINT)s a process
# spinning in a pure CPU loop: with a SA_SIGINFO handler the loop ends and
# prints its counter and the sender's pid; without one SIGINT kills it and the
# parent prints the wait status.  Both print pids, which differ between runs.
. "$TOP/tests/lib.sh"
nondet "$B/sigint_from_other" handler
rr_check --name handler --expect-out '^target: counted [1-9][0-9]*, SIGINT si_code 0 \(SI_USER=0\) from pid [0-9]+, the sibling 1$' -- "$B/sigint_from_other" handler
grep -q '^target: exited with 0$' "$T/handler.rec.out" || fail "$(cat "$T/handler.rec.out")"
grep -q '^sender: exited with 0$' "$T/handler.rec.out" || fail "$(cat "$T/handler.rec.out")"
nondet "$B/sigint_from_other" default
rr_check --name default --expect-out '^target: killed by signal 2$' -- "$B/sigint_from_other" default
grep -q '^sender: exited with 0$' "$T/default.rec.out" || fail "$(cat "$T/default.rec.out")"
grep -Eq '^target: pid [0-9]+$' "$T/default.rec.out" || fail "$(cat "$T/default.rec.out")"
[ "$(wc -l <"$T/default.rec.out")" = 3 ] || fail "$(cat "$T/default.rec.out")"
no_strays "$B/sigint_from_other"
