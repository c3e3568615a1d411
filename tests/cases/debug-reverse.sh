# scribe debug: reverse-continue goes back to the previous breakpoint hit
# (of either thread, in the recorded order), reverse-stepi one instruction
# at a time, and forward again from there.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
record_gdb_threads
cat >"$T/g.gdb" <<'GDB'
set pagination off
break visit
continue
print who * 100 + round
continue
print who * 100 + round
continue
print who * 100 + round
reverse-continue
print who * 100 + round
reverse-continue
print who * 100 + round
info registers rip
reverse-stepi
info registers rip
reverse-stepi
info registers rip
stepi
info registers rip
stepi
info registers rip
delete
continue
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
# the three hits forward, then the same hits backwards
hits=$(grep -E '^\$[0-9]+ = [0-9]+$' "$T/out" | awk '{print $3}' | tr '\n' ' ')
set -- $hits
[ $# = 5 ] || fail "expected 5 values printed, got: $hits"
[ "$4" = "$2" ] && [ "$5" = "$1" ] ||
	fail "reverse-continue did not come back through the hits in order: $hits"
[ "$1" != "$2" ] || fail "the first two hits are the same: $hits"
rips=$(grep -E '^rip ' "$T/out" | awk '{print $2}' | tr '\n' ' ')
set -- $rips
[ $# = 5 ] || fail "expected 5 rips, got: $rips"
# back two instructions, forward two: the same places, and all differ
[ "$4" = "$2" ] && [ "$5" = "$1" ] || fail "reverse-stepi then stepi do not retrace: $rips"
[ "$1" != "$2" ] && [ "$2" != "$3" ] || fail "reverse-stepi did not move: $rips"
gdb_want "$T/out" 'in worker \(' '^total 102, read 12$' 'exited normally'
no_strays "$T/rr"
