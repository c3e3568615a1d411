# scribe debug: gdb reads a library from the trace's own copy (vFile),
# not from the machine: record a program linked against a library built
# here, rebuild that library with other code, and debug: the recorded
# function is found by name, and the backtrace and argument are right;
# then again with the library deleted from the machine.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
command -v cc >/dev/null || skip "no C compiler to build the library"
cat >"$T/foo.c" <<'C'
int foo_calc(int x)
{
	return x * 3 + 1;
}
C
cat >"$T/main.c" <<'C'
#include <stdio.h>
int foo_calc(int x);
int main(void)
{
	printf("calc %d\n", foo_calc(4));
	return 0;
}
C
cc -g -O0 -shared -fPIC -o "$T/libfoo.so" "$T/foo.c" || fail "cannot build libfoo.so"
cc -g -O0 -o "$T/main" "$T/main.c" -L"$T" -lfoo -Wl,-rpath,"$T" || fail "cannot build main"
rr_check --expect-out '^calc 13$' -- "$T/main"
# the library now has other code: no foo_calc at all
cat >"$T/foo.c" <<'C'
/* rebuilt after the recording */

int other_fn(int y)
{
	return y - 7;
}
C
cc -g -O0 -shared -fPIC -o "$T/libfoo.so" "$T/foo.c" || fail "cannot rebuild libfoo.so"
cat >"$T/g.gdb" <<'GDB'
set pagination off
set breakpoint pending on
break foo_calc
continue
bt
print x * 100
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
gdb_want "$T/out" '^Breakpoint 1, foo_calc \(x=4\) at .*foo\.c:3$' \
	'^#1  0x[0-9a-f]+ in main \(\) at .*main\.c:5$' '^\$1 = 400$'
# and with the library gone from the machine
rm -f "$T/libfoo.so"
debug_gdb "$T/rr" "$T/g.gdb" "$T/out2"
[ "$dbg_status" = 0 ] || fail "scribe debug without the library exited $dbg_status: $(tail -5 "$T/out2")"
gdb_want "$T/out2" '^Breakpoint 1, foo_calc \(x=4\) at .*foo\.c:3$' '^\$1 = 400$'
no_strays "$T/rr"
