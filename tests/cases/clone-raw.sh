# clone(CLONE_VM|SIGCHLD) on a separate stack: a process sharing its parent's
# memory without being a thread; both increment a shared counter without a
# lock, the parent waitpid()s for it (exit status 7).
. "$TOP/tests/lib.sh"
nondet "$B/clone_raw"
rr_check --expect-out '^final [0-9]+ ' -- "$B/clone_raw"
grep -q '^waitpid matched 1, exited with 7, child was a process 1$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/clone_raw"
