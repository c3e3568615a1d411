# 300 short-lived children, child i exiting with i%256, reaped in whatever
# order they end; the pids and the time taken differ from run to run.
. "$TOP/tests/lib.sh"
nondet "$B/many_procs"
rr_check --expect-out '^exited 300 status sum 33586$' -- "$B/many_procs"
no_strays "$B/many_procs"
