# A child killed with SIGKILL right after fork, possibly before it ever
# ran, fifty times over: the recording goes on (the new process may be in
# the middle of moving to another tracer thread when it dies), and replay
# matches.  No process is left behind.
# How long it takes differs between runs.
. "$TOP/tests/lib.sh"
nondet "$B/fork_kill" 50
rr_check --status 0 --expect-out '^50 of 50 children killed by SIGKILL$' -- "$B/fork_kill" 50
no_strays "$B/fork_kill"
