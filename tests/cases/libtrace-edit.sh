# An edited trace (libtrace-cat, over scribe_edit_*): a getrandom result
# with new bytes replays printing them, then reports the divergence where
# the program departs from the log (its write of them); a cut trace
# replays to the cut and says the trace ends early; a dropped signal
# makes the replay diverge.  The unedited trace still replays.
. "$TOP/tests/lib.sh"
cat=$B/libtrace-cat
[ -x "$cat" ] || fail "$cat is missing (make test-programs)"
echo "line-of-the-file" >"$T/in.txt"
rr_check --expect-out '^random [0-9a-f]{16}$' -- "$B/libtrace_rand" "$T/in.txt"
tr=$T/rr
"$cat" list "$tr" syscall >"$T/calls" || fail "list failed"
ref=$(awk '$6 == "getrandom" && $7 == 8 { print $2; exit }' "$T/calls")
[ -n "$ref" ] || fail "no getrandom in $(cat "$T/calls")"
"$cat" set "$tr" "$T/ed" "$ref" 8 00112233445566ff || fail "set failed"
"$SCRIBE" replay "$T/ed" >"$T/ed.out" 2>"$T/ed.err"; st=$?
[ "$st" = 125 ] || fail "edited replay exited $st"
grep -qx 'random 00112233445566ff' "$T/ed.out" || fail "replay printed $(cat "$T/ed.out")"
grep -q 'diverged at event .*expected write' "$T/ed.err" || fail "no divergence: $(cat "$T/ed.err")"
# same bytes: nothing departs, the replay completes
orig=$(sed -n 's/^random //p' "$tr.rec.out")
"$cat" set "$tr" "$T/same" "$ref" 8 "$orig" || fail "set failed"
"$SCRIBE" replay "$T/same" >"$T/same.out" 2>"$T/same.err" || fail "unchanged edit: $(cat "$T/same.err")"
cmp -s "$T/same.out" "$tr.rec.out" || fail "unchanged edit printed $(cat "$T/same.out")"
# cut before the write of the file's line
wref=$(awk '$6 == "write" { r = $2 } END { print r }' "$T/calls")
"$cat" cut "$tr" "$T/cut" "$wref" || fail "cut failed"
"$SCRIBE" replay "$T/cut" >"$T/cut.out" 2>"$T/cut.err"; st=$?
[ "$st" = 125 ] || fail "cut replay exited $st"
grep -q 'trace ends early at event .*the recording was interrupted' "$T/cut.err" ||
	fail "cut: $(cat "$T/cut.err")"
head -1 "$tr.rec.out" | cmp -s - "$T/cut.out" || fail "cut replay printed $(cat "$T/cut.out")"
"$SCRIBE" info "$T/cut" >/dev/null 2>&1
expect_status 125 'trace ends early' "$SCRIBE" dump "$T/cut"
# a dropped signal
rr_check --name sig -- "$B/sigusr_self"
sref=$("$cat" list "$T/sig" signal | awk 'NR == 2 { print $2 }')
[ -n "$sref" ] || fail "sigusr_self has fewer than 2 signals"
"$cat" drop "$T/sig" "$T/nosig" "$sref" || fail "drop failed"
[ "$("$cat" list "$T/nosig" signal | wc -l)" = "$(( $("$cat" list "$T/sig" signal | wc -l) - 1 ))" ] ||
	fail "the signal is still there"
"$SCRIBE" replay "$T/nosig" >/dev/null 2>"$T/nosig.err"; st=$?
[ "$st" = 125 ] && grep -q 'diverged' "$T/nosig.err" || fail "dropped signal: $st $(cat "$T/nosig.err")"
# two outputs of different domains swapped: replay writes them the other way
rr_check --name two -- "$B/libtrace_two"
refs=$("$cat" list "$T/two" syscall | awk '$6 == "write" { printf "%s ", $2 }')
set -- $refs
[ $# = 2 ] || fail "libtrace_two: writes at $refs"
"$cat" reorder "$T/two" "$T/swapped" "${1%.0}" "${2%.0}" || fail "reorder failed"
"$SCRIBE" replay "$T/swapped" >"$T/swapped.out" 2>"$T/swapped.err" ||
	fail "swapped replay: $(cat "$T/swapped.err")"
printf 'parent after child\nchild 1\n' | cmp -s - "$T/swapped.out" ||
	fail "swapped replay printed $(cat "$T/swapped.out")"
# edits that cannot apply
err=$("$cat" drop "$tr" "$T/x" "$ref" 2>&1); st=$?
[ "$st" = 125 ] && echo "$err" | grep -q 'only signals can be dropped' || fail "drop a call: $st $err"
[ ! -e "$T/x" ] || fail "a refused edit left $T/x"
# the original is untouched
"$SCRIBE" replay "$tr" >"$T/again.out" 2>/dev/null || fail "the original no longer replays"
cmp -s "$T/again.out" "$tr.rec.out" || fail "the original replays differently"
