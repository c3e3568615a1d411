# Job control as a shell does it (see tests/programs/job_stop.c): stop a
# multi-threaded child, wait until it has stopped (WUNTRACED), continue
# it, terminate it; children that share memory with the parent (one
# memory domain), and a process group stopped as a whole.  Before the fix
# the recording hung at the first stop: threads waiting for their turn
# in the domain never entered the group-stop, so it never completed.
# The counters the children reach differ between runs.
. "$TOP/tests/lib.sh"
nondet "$B/job_stop" 5
rr_check --status 0 --expect-out '^15 stopped, 15 terminated, 5 of 5 counters still while stopped$' \
	-- "$B/job_stop" 5
