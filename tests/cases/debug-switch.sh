# scribe debug: `monitor switch PID` moves gdb from the parent to its
# forked child at the current point (the child's own bookmark, where it
# surely lives); gdb's breakpoint then stops in the child (role 1), and `monitor processes` marks the child; a pid that is no
# live process is one message.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
rr_check --expect-out '^child total 36 handled 2$' -- "$B/gdb_forkwork"
dump_trace "$T/rr"
child=$(grep -E '^ *[0-9]+ \[[0-9]+\] clone\(' "$T/rr.dump" | head -1 | grep -oE '= [0-9]+$' | tr -d '= ')
[ -n "$child" ] || fail "no fork in the dump: $(grep clone "$T/rr.dump" | head -3)"
cat >"$T/g.gdb" <<GDB
set pagination off
monitor goto bookmark child
monitor switch $child
maintenance flush register-cache
handle SIGUSR1 nostop noprint pass
break finish
continue
print role
print handled
monitor processes
monitor switch 999999
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
v=$(grep -E '^\$[0-9]+ = [0-9]+$' "$T/out" | awk '{print $3}' | tr '\n' ' ')
[ "$v" = "1 2 " ] || fail "expected the child's role 1 and its 2 signals handled: got '$v' $(grep -v '^Reading' "$T/out" | tail -20)"
gdb_want "$T/out" "^following process $child " "^\\* process $child \\(real [0-9]+\\)" \
	'^scribe: monitor switch: no live process 999999 here'
no_strays "$T/rr"
