# scribe debug: `monitor checkpoint` names a position, `monitor restart N`
# goes back to it (a new replay run to it), and the replay goes on from
# there as recorded; a checkpoint that does not exist is one message.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
record_gdb_threads
cat >"$T/g.gdb" <<'GDB'
set pagination off
break visit
continue
continue
print who * 100 + round
monitor checkpoint
continue
print who * 100 + round
monitor restart 1
flushregs
print who * 100 + round
continue
print who * 100 + round
monitor restart 7
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
v=$(grep -E '^\$[0-9]+ = [0-9]+$' "$T/out" | awk '{print $3}' | tr '\n' ' ')
set -- $v
[ $# = 4 ] || fail "expected 4 values, got: $v"
[ "$3" = "$1" ] && [ "$4" = "$2" ] && [ "$1" != "$2" ] ||
	fail "restart did not come back to the checkpoint and go on the same way: $v"
gdb_want "$T/out" '^checkpoint 1$' '^at checkpoint 1 ' '^scribe: no checkpoint 7 '
no_strays "$T/rr"
