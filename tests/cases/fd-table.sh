# What the trace keeps for the recorded fd tables (scribe_replay_fds; the
# tables themselves are compared with the program's own view of its fds
# in python/tests/test_fds.py): the fds the program started with (an
# extra one inherited here, fd 7 on a file), a connect's and an accept's
# socket names, the position after each O_APPEND write (traced), or the
# tracer's facts after a batch (buffered).  The recording replays as
# before.
. "$TOP/tests/lib.sh"
mkdir "$T/files"
exec 7>>"$T/inherited"
rr_check --status 0 --expect-out '^VIEW pid=' -- "$B/fdtable" "$T/files"
exec 7>&-
grep -Eq "^fd=7 same=7 pos=0 flags=102001 cloexec=0 target=$T/inherited\$" "$T/rr.rec.out" ||
	fail "the program did not inherit fd 7: $(grep '^fd=7' "$T/rr.rec.out")"
dump_trace "$T/rr"
d=$T/rr.dump
grep -Eq '^ +[0-9]+ \[[0-9]+\] connect\([0-9]+, 0x[0-9a-f]+, 16\) = 0 \[names 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+\]$' "$d" ||
	fail "connect has no socket names: $(grep 'connect(' "$d")"
grep -Eq '\] accept\([0-9]+, NULL, NULL\) = [0-9]+ \[names 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+\]$|\(fd [0-9]+: flags 02, fd flags 0, pos 0\)' "$d" ||
	fail "accept has no socket names: $(grep 'accept' "$d")"
if buffered; then
	# the log's two writes: buffered, then the batch's fact about fd 5
	grep -Eq '\(fd 5: flags 0102001, fd flags 0, pos 12\)' "$d" ||
		fail "no fact about the O_APPEND log after its batch: $(grep 'fd 5' "$d" | head -5)"
else
	grep -Eq '\] write\(5, "one\\n", 4\) = 4 \[pos 4\]$' "$d" &&
		grep -Eq '\] write\(5, "two two\\n", 8\) = 8 \[pos 12\]$' "$d" ||
		fail "the O_APPEND writes carry no position: $(grep 'write(5' "$d")"
fi
# the inherited fds, in the header (info shows nothing of it: the model
# reads it; a replay session's table is python's to check)
grep -aq "7 0 33793 0 file 7 $T/inherited" "$T/rr/header" ||
	fail "the header does not keep the inherited fd 7"
