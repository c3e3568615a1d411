# SIGTERM to `scribe record`: the first goes to the program (it dies of it
# and scribe exits 143, and the trace replays to the same death); if the
# program ignores it, a second SIGTERM ends the recording at once (one
# second after the first it would have ended by itself, record-interrupt):
# the program is killed, scribe exits 125 with one line, and nothing is
# left running.
. "$TOP/tests/lib.sh"
tag=record-sigterm-$$-$RANDOM

"$SCRIBE" record -q -o "$T/a" -- "$B/ticker" 100 "$tag" >"$T/a.out" 2>"$T/a.err" </dev/null &
rec=$!
sleep 1
kill -TERM "$rec"
wait "$rec"
rs=$?
[ "$rs" = 143 ] || { cat "$T/a.err" >&2; fail "scribe record exited $rs after SIGTERM, expected 143 (the program's death)"; }
"$SCRIBE" replay "$T/a" >"$T/a.rep" 2>"$T/a.rep.err" </dev/null
ps=$?
[ "$ps" = 143 ] || { cat "$T/a.rep.err" >&2; fail "replay exited $ps, expected 143"; }
cmp -s "$T/a.out" "$T/a.rep" || fail "replay printed other lines than the recording"
no_strays "$tag"

"$SCRIBE" record -q -o "$T/b" -- sh -c "trap '' TERM; exec \"\$0\" 100 $tag" "$B/ticker" \
	>"$T/b.out" 2>"$T/b.err" </dev/null &
rec=$!
sleep 1
kill -TERM "$rec"
sleep 0.3
kill -0 "$rec" 2>/dev/null || fail "the program ignores SIGTERM, yet the recording ended at the first"
kill -TERM "$rec"
wait "$rec"
rs=$?
[ "$rs" = 125 ] || fail "scribe record exited $rs after a second SIGTERM, expected 125"
[ "$(grep -c '^scribe: ' "$T/b.err")" = 1 ] && grep -q '^scribe: SIGTERM: a second signal came' "$T/b.err" ||
	fail "stderr after the second SIGTERM: $(cat "$T/b.err")"
no_strays "$tag"
expect_status 125 'the recording was interrupted' "$SCRIBE" replay "$T/b"
