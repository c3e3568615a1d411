# scribe debug under the AddressSanitizer/UBSan build: breakpoints in two
# threads, a watchpoint on a buffer read() fills, and reverse-continue and
# reverse-stepi (sessions closed and reopened by the timeline).
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
record_gdb_threads
cat >"$T/g.gdb" <<'GDB'
set pagination off
break visit
continue
continue
print who * 100 + round
reverse-continue
print who * 100 + round
reverse-stepi
info registers rip
delete
watch buf[0]
continue
continue
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
v=$(grep -E '^\$[0-9]+ = [0-9]+$' "$T/out" | awk '{print $3}' | tr '\n' ' ')
set -- $v
[ $# = 2 ] && [ "$1" != "$2" ] || fail "reverse-continue did not go back a hit: $v"
gdb_want "$T/out" '^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <worker\+[0-9]+>' \
	"^New value = 104 'h'" '^total 102, read 12$' 'exited normally'
no_strays "$T/rr"
