# scribe debug: Ctrl-C (SIGINT to gdb) during a long continue stops the
# replay where the program computes, and gdb can look at it.  (The
# continue starts at spin(), two seconds of computing with no syscall,
# well past the 0.4 s the test waits before the interrupt.)
. "$TOP/tests/lib.sh"
. "$TOP/tests/gdb.sh"
rr_check --expect-out '^sum [0-9a-f]{16}$' -- "$B/gdb_spin" 2000000000
cat >"$T/g.gdb" <<'GDB'
set pagination off
break spin
continue
delete
echo CONTINUING\n
continue
echo AFTER\n
bt 1
monitor event
kill
GDB
timeout -k 5 120 "$SCRIBE" debug "$T/rr" -- -batch -nx -x "$T/g.gdb" </dev/null >"$T/out" 2>&1 &
dbg=$!
trap 'kill $dbg 2>/dev/null' EXIT
for _ in $(seq 300); do grep -q '^CONTINUING' "$T/out" && break; sleep 0.1; done
grep -q '^CONTINUING' "$T/out" || fail "gdb did not start: $(tail -5 "$T/out")"
sleep 0.3
gdbpid=$(ps -eo pid=,ppid=,comm= | awk -v p="$(pgrep -P $dbg -x scribe || echo $dbg)" '$2 == p && $3 == "gdb" {print $1}')
[ -n "$gdbpid" ] || fail "no gdb under scribe debug"
kill -INT "$gdbpid"
wait $dbg
st=$?
trap - EXIT
[ "$st" = 0 ] || fail "scribe debug exited $st: $(tail -5 "$T/out")"
gdb_want "$T/out" '^Program received signal SIGINT' '^#0 .* in spin \(rounds=' \
	'^stopped paused' 'killed'
grep -q '^sum ' "$T/out" && fail "the replay ran to its end: the interrupt did not stop it"
no_strays "$T/rr"
