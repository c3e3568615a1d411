# Checkpoints from a separate C program (tests/tools/ckpt-client.c, linked
# to build/libscribe.so with only include/scribe.h): forward from a
# checkpoint three times (restored in between) gives the same stops,
# registers, lines in memory and output, and the program then ends as
# recorded; a checkpoint of a replay paused while its task computed (an
# interrupted task) restored gives the same next write; a checkpoint is
# refused to another session.
. "$TOP/tests/lib.sh"
cl=$B/ckpt-client
[ -x "$cl" ] || fail "$cl is missing (make test-programs)"
rr_check -- "$B/ckpt_steps"
"$cl" steps "$T/rr" >"$T/s.out" 2>"$T/s.err" || { cat "$T/s.err" >&2; fail "client steps failed"; }
[ "$(grep -c '^run1 stream=' "$T/s.out")" = 6 ] || fail "run1: $(cat "$T/s.out")"
for n in 2 3; do
	diff <(sed -n 's/^run1 //p' "$T/s.out") <(sed -n "s/^run$n //p" "$T/s.out") >/dev/null ||
		fail "run $n from the checkpoint differs: $(cat "$T/s.out")"
done
# the lines read from memory and the output are the recording's
grep -qx "run1 out=$(sed -n '6,11p' "$T/rr.rec.out" | tr '\n' ';')" "$T/s.out" ||
	fail "output from the checkpoint: $(grep '^run1 out' "$T/s.out")"
[ "$(sed -n 's/^run1 .* line=//p' "$T/s.out")" = "$(sed -n '7,12p' "$T/rr.rec.out")" ] ||
	fail "lines in memory: $(grep '^run1' "$T/s.out")"
grep -qx 'status=0' "$T/s.out" || fail "did not end as recorded: $(cat "$T/s.out")"

rr_check --name busy -- "$B/replayctl_busy"
"$cl" pause "$T/busy" >"$T/p.out" 2>"$T/p.err" || { cat "$T/p.err" >&2; fail "client pause failed"; }
sum=$(sed -n 2p "$T/busy.rec.out")
grep -qx "run1 .* line=$sum" "$T/p.out" || fail "run1 after the pause: $(cat "$T/p.out")"
[ "$(sed -n 's/^run1 //p' "$T/p.out")" = "$(sed -n 's/^run2 //p' "$T/p.out")" ] ||
	fail "run from the paused checkpoint differs: $(cat "$T/p.out")"
grep -qx 'status=0' "$T/p.out" || fail "did not end as recorded: $(cat "$T/p.out")"
no_strays "$B/ckpt_steps"
no_strays "$B/replayctl_busy"
