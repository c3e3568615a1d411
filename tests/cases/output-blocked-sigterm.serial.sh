# A program that ignores SIGTERM blocks for good writing to scribe's stdout,
# a FIFO nobody reads, while scribe runs on one CPU (one tracer thread):
# the write to scribe's stdout runs to its end inside scribe's tracer
# thread (so outputs of several processes are numbered in the order they
# were written), and a second SIGTERM must still end the recording (125,
# one line, nothing left running).  It hung before.
. "$TOP/tests/lib.sh"
tag=output-blocked-$$-$RANDOM
mkfifo "$T/fifo"
exec 7<>"$T/fifo"    # keeps the FIFO open, never reads it
taskset -c 0 "$SCRIBE" record -q -o "$T/b" -- sh -c "trap '' TERM; exec yes $tag" \
	>"$T/fifo" 2>"$T/b.err" </dev/null &
rec=$!
trap 'kill -KILL $rec 2>/dev/null' EXIT
sleep 1
kill -0 "$rec" 2>/dev/null || fail "the recording ended by itself: $(cat "$T/b.err")"
kill -TERM "$rec"
sleep 0.5
kill -TERM "$rec"
for _ in $(seq 50); do kill -0 "$rec" 2>/dev/null || break; sleep 0.1; done
kill -0 "$rec" 2>/dev/null && fail "scribe record still runs 5 s after a second SIGTERM"
wait "$rec"
rs=$?
[ "$rs" = 125 ] || fail "scribe record exited $rs after a second SIGTERM, expected 125"
grep -q '^scribe: SIGTERM: a second signal came' "$T/b.err" || fail "stderr after the second SIGTERM: $(cat "$T/b.err")"
no_strays "$tag"
