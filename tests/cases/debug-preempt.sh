# scribe debug on a program whose threads were preempted when recorded
# (placed on replay by signatures and snapshots): breakpoint hits in each
# thread, single steps, a watchpoint on a value a thread stores at its end
# (in a slice the replay may restore instead of running: found by
# comparing the value), and the replay stays faithful to its end.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
rr_check --expect-out '^total [0-9]+ ' -- "$B/racy_counter"
seen0=$(sed -n 's/^seen at finish: \([0-9]*\) .*/\1/p' "$T/rr.rec.out")
[ -n "$seen0" ] || fail "no 'seen at finish' line: $(cat "$T/rr.rec.out")"
cat >"$T/g.gdb" <<'GDB'
set pagination off
break run
continue
continue
continue
continue
delete
stepi
stepi
stepi
stepi
stepi
watch seen[0]
continue
print seen[0]
delete
continue
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
[ "$(grep -Ec 'hit Breakpoint 1, run \(arg=' "$T/out")" = 4 ] ||
	fail "expected 4 hits of run(): $(grep -E 'hit Breakpoint|Thread' "$T/out" | head)"
gdb_want "$T/out" '^Hardware watchpoint 2: seen\[0\]' "^New value = $seen0\$" "^\\\$1 = $seen0\$" \
	'exited normally'
# the program's output under gdb is the recorded one
grep -E '^(total|finish order|seen at finish)' "$T/out" >"$T/dbg.lines"
grep -E '^(total|finish order|seen at finish)' "$T/rr.rec.out" >"$T/rec.lines"
cmp -s "$T/dbg.lines" "$T/rec.lines" ||
	fail "output under gdb differs: $(diff "$T/rec.lines" "$T/dbg.lines")"
"$SCRIBE" replay --stats "$T/rr" >/dev/null 2>"$T/stats" || true
grep -Eq 'scribe: [1-9][0-9]* preemption' "$T/stats" ||
	echo "note: no preemption in this recording: $(grep preemption "$T/stats")" >&2
no_strays "$T/rr"
