# Calls whose result is all they give (openat, access, mprotect, mmap,
# munmap, close, brk) are collected at the task's next stop instead of an
# exit stop (record_late.c).  A 300 us timer lands signals on them, many as
# the call returns through the scribe page; the handler makes such calls
# too.  Replay must print the same rounds, signals and checksum of every
# result; with SCRIBE_NO_LATE=1 the same program records the plain way.
. "$TOP/tests/lib.sh"
nondet "$B/late_calls"
rr_check --expect-out '^rounds [0-9]+, signals [0-9]+, checksum [0-9a-f]+ [0-9a-f]+$' \
	-- "$B/late_calls"
dump_trace "$T/rr"
grep -Eq '^ +[0-9]+ \[[0-9]+\] mprotect\(' "$T/rr.dump" || fail "no traced mprotect in the trace"
grep -Eq 'signal SIGALRM|SIGALRM' "$T/rr.dump" || fail "no SIGALRM in the trace"
rr_check --name plain --env SCRIBE_NO_LATE=1 -- "$B/late_calls"
