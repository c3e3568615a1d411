# scribe debug, from a crash to its cause: the program dies of SIGSEGV
# using a pointer an off-by-one store overwrote long before; at the
# crash, `watch -l` on the pointer and reverse-continue land on that
# store, in fill(), with the pointer's value before it.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
rr_check --status 139 -- "$B/gdb_crash"
cat >"$T/g.gdb" <<'GDB'
set pagination off
continue
watch -l st.counter
reverse-continue
bt 1
print i
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
gdb_want "$T/out" '^Program received signal SIGSEGV' '^0x[0-9a-f]+ in work \(' '^\$1 = 8$' \
	'^Hardware watchpoint 1: -location st.counter' \
	'^Old value = \(long \*\) 0x3f0$' '^New value = \(long \*\) 0x[0-9a-f]+ <count>$' \
	'^#0 .* in fill \(seed=' 't\[i\] = seed \+ i;'
no_strays "$T/rr"
