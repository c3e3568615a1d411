# scribe debug -p: gdb on the child of a fork (a multi-process trace),
# and `monitor processes` listing the tree with the followed one marked.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
echo "hello-watch" >"$T/in.txt"
rr_check -- sh -c "$B/gdb_threads $T/in.txt; echo done"
dump_trace "$T/rr"
# the child's pid: the task that execs gdb_threads
child=$(grep -E '^ *[0-9]+ \[[0-9]+\] exec "[^"]*gdb_threads"' "$T/rr.dump" | head -1 | grep -oE '\[[0-9]+\]' | tr -d '[]')
[ -n "$child" ] || fail "no exec of gdb_threads in the dump: $(grep exec "$T/rr.dump" | head -3)"
cat >"$T/g.gdb" <<'GDB'
set pagination off
break visit
continue
monitor processes
info threads
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out" -p "$child"
gdb_want "$T/out" 'hit Breakpoint 1, visit \(' "^\\* process $child \\(real [0-9]+\\): tasks( [0-9]+)* $child( |$)"
grep -Eq '^  process [0-9]+ \(real' "$T/out" || fail "monitor processes does not list the shell: $(grep process "$T/out")"
no_strays "$T/rr"
