# Two CPU-bound threads of one process each write a byte to a pipe (a call
# the tracer answers at its entry stop on replay), then malloc a block the
# syscall buffer maps in-process, then compute until scribe preempts them.
# Replay restores those slices from snapshots and re-makes their maps from
# a task still at the pipe write's entry stop: the map must land where it
# was recorded (it came back as the write's ENOSYS, one stop early, which
# Apache's event MPM met first).
. "$TOP/tests/lib.sh"
nondet "$B/slice_after_call"
rr_check -- "$B/slice_after_call"
want '^thread 0: [1-9][0-9]* rounds' '^thread 1: [1-9][0-9]* rounds'
"$SCRIBE" dump "$T/rr" >"$T/dump" || fail "scribe dump failed"
grep -q 'preempted at .*snapshot' "$T/dump" || fail "no preemption was placed by a snapshot"
if [ -z "${SCRIBE_NO_BUFFER:-}" ]; then
	# a restored slice began right after a traced call and made a buffered map
	awk '/^ *[0-9]+ \[[0-9]+\] write\(/ { w = 1; next } /^ *[0-9]+ \[/ && !/buffered calls/ && !/preempted/ { w = 0 }
	     /^ +mmap\(/ && w { m = 1 } /preempted at .*snapshot/ && w && m { found = 1 } /preempted/ { m = 0 }
	     END { exit !found }' "$T/dump" ||
		fail "no snapshot-restored slice made a buffered mmap right after a traced write"
fi
