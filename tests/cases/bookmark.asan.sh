# Bookmarks under the AddressSanitizer/UBSan build of scribe: `scribe
# bookmark` from another process while the recorded program blocks on a
# pipe this case holds (two domains: parent and child), then the
# program's own bookmarks; dump and info show them, the control socket is
# gone when the recording ends, and the traces replay to the end with
# the same output; a C client of libscribe (tests/tools/bookmark-client.c)
# lists them and runs a replay to each (python/tests/test_bookmark.py
# checks memory and registers there).
. "$TOP/tests/lib.sh"
tr=$T/wait
mkfifo "$T/in"
"$SCRIBE" record -q -o "$tr" -- "$B/bookmark_wait" fork <"$T/in" >"$T/wait.out" 2>"$T/wait.err" &
rec=$!
exec 7>"$T/in"               # the program's stdin: it waits until we write
cleanup() { exec 7>&-; kill "$rec" 2>/dev/null; wait "$rec" 2>/dev/null; }
trap cleanup EXIT
for _ in $(seq 100); do
	grep -q '^child waiting$' "$T/wait.out" && grep -q '^waiting$' "$T/wait.out" && break
	sleep 0.1
done
grep -q '^child waiting$' "$T/wait.out" || fail "the program never waited: $(cat "$T/wait.err")"
[ -S "$tr/control" ] || fail "no control socket in $tr while recording"
"$SCRIBE" bookmark -t "$tr" mid >"$T/bm.out" 2>"$T/bm.err" || fail "scribe bookmark exited $?: $(cat "$T/bm.err")"
grep -Eqx 'mid 0:[0-9]+ 1:[0-9]+' "$T/bm.out" || fail "scribe bookmark printed: $(cat "$T/bm.out")"
"$SCRIBE" bookmark -t "$tr" mid 2>"$T/bm2.err" && fail "a taken name was accepted"
grep -q "^scribe: the recording has a bookmark named 'mid' already$" "$T/bm2.err" ||
	fail "taken name: $(cat "$T/bm2.err")"
echo go >&7
exec 7>&-
wait "$rec" || fail "the recording exited $?: $(cat "$T/wait.err")"
trap - EXIT
[ ! -e "$tr/control" ] || fail "the control socket was left behind"
"$SCRIBE" bookmark -t "$tr" late 2>"$T/late.err"; st=$?
[ "$st" = 1 ] || fail "bookmark after the end exited $st, expected 1"
dump_trace "$tr"
pos=$(sed -n 's/^mid 0:\([0-9]*\) .*/\1/p' "$T/bm.out")
grep -A1 -- '--- bookmark mid$' "$tr.dump" | grep -Eq "^ *$pos \[[0-9]+\] read\(0," ||
	fail "dump does not mark mid before event $pos, the read: $(grep -A1 -- '--- bookmark' "$tr.dump")"
"$SCRIBE" info "$tr" | grep -Eq '^bookmarks:  mid at 0:[0-9]+ 1:[0-9]+$' || fail "info: no bookmarks line"
"$SCRIBE" replay "$tr" >"$T/wait.rep" || fail "replay exited $?"
cmp -s "$T/wait.out" "$T/wait.rep" || fail "replay printed other output"
cl=$B/bookmark-client
[ -x "$cl" ] || fail "$cl is missing (make test-programs)"
"$cl" "$tr" mid >"$T/cl.out" 2>"$T/cl.err" || fail "bookmark-client exited $?: $(cat "$T/cl.err")"
grep -Eqx "bookmark mid tid=0 stream=0 at 0:$pos 1:[0-9]+" "$T/cl.out" || fail "client list: $(cat "$T/cl.out")"
# stopped with both domains parked at their read(2) (kind 2: syscall, nr 0)
grep -Eqx 'stop reason=2 stream=[01] index=[0-9]+ tid=[0-9]+ kind=2 nr=0' "$T/cl.out" ||
	fail "client stop: $(cat "$T/cl.out")"
[ "$(grep -Ec '^task tid=[0-9]+ stream=[01] state=0$' "$T/cl.out")" = 2 ] || fail "tasks: $(cat "$T/cl.out")"
grep -qx 'status=0' "$T/cl.out" || fail "client: no run to the end: $(cat "$T/cl.out")"
"$cl" "$tr" nope >/dev/null 2>"$T/cl.err" && fail "client ran to a bookmark that does not exist"
grep -q "no bookmark named 'nope'" "$T/cl.err" || fail "client: $(cat "$T/cl.err")"
"$cl" "$tr" - >"$T/cl2.out" 2>"$T/cl.err" || fail "an API 2 struct scribe_until failed: $(cat "$T/cl.err")"
grep -Eqx 'api2 stop reason=2 stream=0 index=[0-9]+ tid=[0-9]+ kind=2 nr=[0-9]+' "$T/cl2.out" ||
	fail "API 2 client: $(cat "$T/cl2.out")"

rr_check --name self -- "$B/bookmark_self"
[ "$(grep -c 'No such file or directory' "$T/self.rec.out")" = 4 ] || fail "the calls did not fail with ENOENT"
[ "$(cut -d' ' -f1 "$T/self/bookmarks" | tr '\n' ' ')" = "first second third " ] ||
	fail "self-bookmarks: $(cat "$T/self/bookmarks")"
