# Children SIGKILLed from outside at all kinds of moments (see
# tests/programs/kill_mix.c): record and replay must agree, and replay
# must neither diverge nor hang.  Before the fixes, 8 replays in 8 failed:
# a thread killed with its creator inside clone() (an exit of a task the
# trace never announced), a task killed at a syscall stop after another
# task's events (it ran on into its next call), a thread parked at its
# first stop and its process computing forever (nobody moved the stream on
# to their deaths: a hang), a task killed at its exit_group stop (it
# exited 0 on replay), a killed task's syscall buffer or handoff.
# Which children die of the signal, and when, differs between runs.
. "$TOP/tests/lib.sh"
nondet "$B/kill_mix" 200
rr_check --status 0 --expect-out '^[0-9]+ of 200 children died of SIGKILL$' -- "$B/kill_mix" 200
