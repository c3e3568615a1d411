# scribe debug: `monitor goto bookmark NAME` runs to a program's own
# bookmark (bookmark_self sets `stage` to N just before bookmark N); an
# unknown name is one message, and the session goes on.
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
rr_check --expect-out '^third -1 No such file or directory$' -- "$B/bookmark_self"
cat >"$T/g.gdb" <<'GDB'
set pagination off
monitor goto bookmark second
maintenance flush register-cache
print stage
monitor goto bookmark nosuch
monitor goto bookmark third
maintenance flush register-cache
print stage
monitor event
GDB
debug_gdb "$T/rr" "$T/g.gdb" "$T/out"
[ "$dbg_status" = 0 ] || fail "scribe debug exited $dbg_status: $(tail -5 "$T/out")"
v=$(grep -E '^\$[0-9]+ = [0-9]+$' "$T/out" | awk '{print $3}' | tr '\n' ' ')
[ "$v" = "2 3 " ] || fail "expected stage 2 at bookmark second, 3 at third: got '$v' $(grep -v '^Reading' "$T/out" | tail -20)"
gdb_want "$T/out" '^scribe: .*nosuch' '^stopped at an event in task [0-9]+'
no_strays "$T/rr"
