# Signals from another process at any moment (see tests/programs/sig_mix.c):
# handled ones, a stop and a continue, then a fatal one.  Before the fix,
# about one replay in four failed with "expected SIGINT to be delivered,
# got a scribe_flush() call first": the fatal signal, blocked while
# pthread_create ran, was delivered when recording inside the preload
# library's untraced call that unblocked it, and that call's record died
# with the task.  A second tracer thread then also reported the death the
# first one's cleanup caused: now one failure prints one line.
# When the signals land, and how long it takes, differs between runs.
. "$TOP/tests/lib.sh"
nondet "$B/sig_mix" 100
rr_check --status 0 --expect-out '^100 of 100 children died of a signal$' -- "$B/sig_mix" 100
