# fork + pipe + exec + wait: date +%s%N in one child, sh reading its line and
# exiting 3 in another; the parent prints what came back and both statuses.
. "$TOP/tests/lib.sh"
nondet "$B/fork_exec"
rr_check --expect-out '^date printed: [0-9]{19}$' -- "$B/fork_exec"
grep -q '^date: waitpid matched 1, exited with 0$' "$T/rr.rec.out" || fail "date: $(cat "$T/rr.rec.out")"
grep -Eq '^sh answered: sh [0-9]+ read [0-9]{19}$' "$T/rr.rec.out" || fail "sh: $(cat "$T/rr.rec.out")"
grep -q '^sh: waitpid matched 1, exited with 3$' "$T/rr.rec.out" || fail "sh status: $(cat "$T/rr.rec.out")"
no_strays "$B/fork_exec"
