# scribe pack copies a trace's objects into it: `scribe info` says so, and
# the trace replays after the store is deleted and after it is moved
# elsewhere.  scribe gc deletes the objects no trace refers to and keeps
# those of unpacked traces (under $SCRIBE_DIR and elsewhere) and of a
# recording still running; pack refuses a running recording.
. "$TOP/tests/lib.sh"
store=$SCRIBE_DIR/objects
uniq() { cp "$1" "$2" && printf 'store-pack-gc %s %s\n' "$2" "$RANDOM$RANDOM" >>"$2"; }
hash_of() {   # the object whose content is file $1
	local o
	for o in "$store"/[0-9a-f]*; do cmp -s "$o" "$1" && { basename "$o"; return; }; done
}

# A trace under $SCRIBE_DIR, one elsewhere, each mapping a file of its own.
uniq /etc/services "$T/a.dat"
uniq /etc/services "$T/b.dat"
"$SCRIBE" record -q -- "$B/store_mapfile" "$T/a.dat" >"$T/a.out" 2>&1 || fail "record a: $(cat "$T/a.out")"
rr_check --name b --expect-out "b.dat: " -- "$B/store_mapfile" "$T/b.dat"
ha=$(hash_of "$T/a.dat"); hb=$(hash_of "$T/b.dat")
[ -n "$ha" ] && [ -n "$hb" ] || fail "the mapped files are not in the store"
a=$(readlink -f "$SCRIBE_DIR/latest")
"$SCRIBE" info "$T/b" | grep -q '^objects: .* not packed' || fail "info does not say the trace is not packed: $("$SCRIBE" info "$T/b")"

# gc keeps both (and deletes a stray object no trace names).
printf junk >"$store/0123456789abcdef"
"$SCRIBE" gc >"$T/gc.out" || fail "gc failed"
[ -f "$store/$ha" ] && [ -f "$store/$hb" ] || fail "gc deleted referenced objects: $(cat "$T/gc.out")"
[ ! -e "$store/0123456789abcdef" ] || fail "gc kept an object no trace refers to"

# Pack b, then gc after deleting a: a's object goes, b's stays (only
# traces under $SCRIBE_DIR and registered ones count, and b is packed now).
"$SCRIBE" pack "$T/b" >"$T/pack.out" || fail "pack failed: $(cat "$T/pack.out")"
"$SCRIBE" info "$T/b" | grep -q '^objects: .*packed in the trace' || fail "info does not say the trace is packed"
"$SCRIBE" pack "$T/b" | grep -q 'packed already' || fail "a second pack did not say it was packed already"
rm -rf "$a"
"$SCRIBE" gc >"$T/gc2.out" || fail "gc failed"
[ ! -e "$store/$ha" ] || fail "gc kept the object of a deleted trace: $(cat "$T/gc2.out")"
[ ! -e "$store/$hb" ] || fail "gc kept the object only a packed trace refers to"

# The packed trace replays without the store, and moved elsewhere.
rm -rf "$store"
mv "$T/b" "$T/moved"
"$SCRIBE" replay "$T/moved" >"$T/moved.out" 2>&1 || fail "the packed trace does not replay without the store: $(cat "$T/moved.out")"
cmp -s "$T/b.rec.out" "$T/moved.out" || fail "the moved packed trace replayed other output"
[ -z "$(find "$T/moved" -type f -links +1)" ] || fail "the packed trace has links"

# A running recording: its objects survive gc, and pack refuses it.
uniq /etc/services "$T/c.dat"
mkfifo "$T/go"
"$SCRIBE" record -q -o "$T/c" -- bash -c '"$0" "$1"; read x <"$2"; "$0" "$1"' "$B/store_mapfile" "$T/c.dat" "$T/go" >"$T/c.out" 2>&1 &
rec=$!
trap 'kill $rec 2>/dev/null; wait $rec 2>/dev/null' EXIT
for i in $(seq 100); do grep -q c.dat "$T/c.out" 2>/dev/null && break; sleep 0.1; done
hc=$(hash_of "$T/c.dat")
[ -n "$hc" ] || fail "the running recording's object is not in the store"
"$SCRIBE" gc >"$T/gc3.out" || fail "gc failed"
[ -f "$store/$hc" ] || fail "gc deleted the object of a running recording: $(cat "$T/gc3.out")"
expect_status 125 'being recorded' "$SCRIBE" pack "$T/c"
echo go >"$T/go"
wait $rec || fail "the recording failed: $(cat "$T/c.out")"
trap - EXIT
"$SCRIBE" replay "$T/c" >"$T/c.rep" 2>&1 || fail "the recording gc ran beside does not replay: $(cat "$T/c.rep")"
cmp -s "$T/c.out" "$T/c.rep" || fail "the recording gc ran beside replayed other output"

# No store to be had (an unwritable $SCRIBE_DIR): the recording keeps its
# own copies, packed from the start, and says nothing.
SCRIBE_DIR=/proc/no-store "$SCRIBE" record -q -o "$T/own" -- "$B/store_mapfile" "$T/c.dat" >"$T/own.out" 2>"$T/own.err" ||
	fail "record without a store failed: $(cat "$T/own.err")"
[ ! -s "$T/own.err" ] || fail "record without a store printed: $(cat "$T/own.err")"
"$SCRIBE" info "$T/own" | grep -q '^objects: .*packed in the trace' || fail "a trace recorded without a store is not packed"
SCRIBE_DIR=/proc/no-store "$SCRIBE" replay "$T/own" >"$T/own.rep" 2>&1 || fail "the trace recorded without a store does not replay: $(cat "$T/own.rep")"
cmp -s "$T/own.out" "$T/own.rep" || fail "the trace recorded without a store replayed other output"
