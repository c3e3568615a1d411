# go-live (issue 18) at every 10th event of a small multi-process program
# (three rounds of two forked children that each write a file and exit
# with a status the parent adds up): every live continuation must end
# like the native run -- status 21, "total 21", every child's file whole
# -- with nothing left traced behind.
. "$TOP/tests/lib.sh"
# With the syscall buffer, a child frozen inside a batch of buffered calls
# is run to the batch's end first (replay_golive.c finish_batch); when
# that end is the library asking the tracer for its next batch, going
# live there makes the library give up (exit 125): about one run in four
# at some points.  Not consistent yet: this case runs without the buffer.
buffered && skip_unsupported "go-live inside another process's buffered batch is not consistent yet (docs/design.md §13)"
mkdir -p "$T/run" && cd "$T/run" || fail "no scratch directory"
"$B/golive_procs" >"$T/native.out"
[ $? = 21 ] || fail "native run: $(cat "$T/native.out")"
# recorded with only fds 0-2, as from a shell (a pipe inherited from
# whatever runs the suite could not be rebuilt)
(for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
 exec "$SCRIBE" record -q -o "$T/tr" -- "$B/golive_procs") >"$T/rec.out" 2>"$T/rec.err"
[ $? = 21 ] || fail "record: $(cat "$T/rec.err")"
dump_trace "$T/tr"
last=$(awk '$1 ~ /^[0-9]+$/ { n = $1 } /^=== domain/ { if (seen++) exit } END { print n }' "$T/tr.dump")
[ -n "$last" ] && [ "$last" -ge 10 ] || fail "too few events in stream 0: $last"
mkdir -p "$T/files" && cp golive-*.out "$T/files/" || fail "no files written"
tried=0
for at in $(seq 10 10 "$last") end; do
	# the file system as the recording left it (go-live reopens files as
	# they are today): each child rewrites its own, truncated at open
	cp "$T/files/"* .
	"$SCRIBE" replay --go-live-at "$at" "$T/tr" >"$T/live.out" 2>"$T/live.err"
	st=$?
	[ $st = 21 ] || fail "going live at $at: exit $st, expected 21: $(head -3 "$T/live.err")"
	grep -qx 'total 21' "$T/live.out" || fail "going live at $at: output $(cat "$T/live.out")"
	for r in 0 1 2; do for k in 0 1; do
		[ "$(cat golive-$r-$k.out 2>/dev/null)" = "$(printf '%s\n' "$r $k 0" "$r $k 1" "$r $k 2" "$r $k 3" "$r $k 4")" ] ||
			fail "going live at $at: golive-$r-$k.out is $(cat golive-$r-$k.out 2>&1 | tr '\n' '|')"
	done; done
	tried=$((tried + 1))
done
pgrep -f "$B/golive_procs" >/dev/null && fail "a live process outlived its program"
echo "went live at $tried points"
