# An orphaned grandchild: its parent exits at once, it waits to be reparented
# and reports getppid() through a pipe inherited from the top process.
. "$TOP/tests/lib.sh"
nondet "$B/orphan"
rr_check --expect-out '^middle child [0-9]+: waitpid matched 1, exit status 7$' -- "$B/orphan"
grep -Eq '^pipe: grandchild [0-9]+: parent was [0-9]+, now [0-9]+ \(top [0-9]+\): reparented 1$' "$T/rr.rec.out" ||
	fail "grandchild: $(cat "$T/rr.rec.out")"
grep -q '^no more children: 1$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/orphan"
