# scribe debug: gdb on a replay of a two-thread program: a breakpoint hit
# by both threads again and again, backtraces, threads, variables,
# stepping, and writes refused.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
record_gdb_threads
cat >"$T/g.gdb" <<'GDB'
set pagination off
break visit
continue
bt
info threads
continue
continue
print who * 100 + round
print total
next
info registers rip
stepi
info registers rip
delete
continue
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
gdb_want "$T/out" '^Breakpoint 1 at 0x[0-9a-f]+: file .*gdb_threads.c, line' \
	'^#0  visit \(who=' '^#1  0x[0-9a-f]+ in worker \(' \
	'^\* [0-9]+ +Thread [0-9]+ \(recorded tid [0-9]+\) visit \(' \
	'^Thread [0-9]+ hit Breakpoint 1, visit \(who=who@entry=[12], round=round@entry=[123]\)' \
	'^\$1 = [12]0[123]$' '^\$2 = [0-9]+$' '^total 102, read 12$' \
	'exited normally'
# three hits, three threads in `info threads`, and a step that moved
[ "$(grep -Ec 'hit Breakpoint 1, visit' "$T/out")" = 3 ] ||
	fail "expected 3 breakpoint hits: $(grep -E 'hit Breakpoint' "$T/out")"
[ "$(grep -Ec '^[* ] [0-9]+ +Thread [0-9]+ \(recorded tid' "$T/out")" = 3 ] ||
	fail "info threads does not list 3 threads: $(grep -E 'Thread' "$T/out")"
rips=$(grep -E '^rip ' "$T/out" | awk '{print $2}')
[ "$(wc -l <<<"$rips")" = 2 ] && [ "$(sort -u <<<"$rips" | wc -l)" = 2 ] ||
	fail "stepi did not move rip: $rips"
# the values hit in this replay are the recorded ones: the sum printed
# at a hit never exceeds the total the program printed
v=$(grep -E '^\$2 = ' "$T/out" | awk '{print $3}')
[ "$v" -le 102 ] || fail "total at a hit is $v, above the final 102"

# writes are refused, with a word on the terminal
cat >"$T/w.gdb" <<'GDB'
break visit
continue
print $rax = 1
GDB
debug_gdb "$T/rr" "$T/w.gdb" "$T/wout"
gdb_want "$T/wout" 'Could not write register "rax".*scribe: the replay cannot be changed' \
	'^scribe: refused gdb.s register write'
cat >"$T/m.gdb" <<'GDB'
break visit
continue
set var total = 5
GDB
debug_gdb "$T/rr" "$T/m.gdb" "$T/mout"
gdb_want "$T/mout" '^Cannot access memory at address 0x' '^scribe: refused gdb.s memory write'
no_strays "$T/rr"
