# scribe debug: a watchpoint on a buffer that a read() fills stops at that
# read, though on replay the read is answered from the trace (written
# into the program by scribe, or by the syscall buffer's copy): the
# values before and after are the recorded ones.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
record_gdb_threads
rm "$T/in.txt"            # the replay must not need it
cat >"$T/g.gdb" <<'GDB'
set pagination off
watch buf[0]
continue
print total
info threads
continue
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
gdb_want "$T/out" '^Hardware watchpoint 1: buf\[0\]' "^Old value = 0 '.000'" \
	"^New value = 104 'h'" '^\$1 = 102$' '^total 102, read 12$' 'exited normally'
# stopped in the reading thread, the main one, at the read or in the
# buffer's copy for it
grep -Eq '^\* 1 +Thread' "$T/out" || fail "not stopped in the main thread: $(grep Thread "$T/out")"
grep -Eq 'read|copy_bytes' <(grep -A2 '^New value' "$T/out") ||
	fail "the stop is not at the read: $(grep -A3 '^New value' "$T/out")"
