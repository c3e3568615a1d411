# A pure CPU loop counts iterations until SIGALRM (one-shot 200 ms setitimer)
# sets a flag: the signal lands somewhere in the loop, the count replays.
. "$TOP/tests/lib.sh"
nondet "$B/alarm_count"
rr_check --expect-out '^counted [1-9][0-9]* iterations before SIGALRM$' -- "$B/alarm_count"
