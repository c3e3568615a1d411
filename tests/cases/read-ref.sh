# Large reads of a system file are kept by reference (src/preload/sbuf.h,
# SB_REC_FILE): the buffered reads of a program installed under /usr are
# stored as "the bytes of object HASH at OFFSET", the file itself once in
# the object store, and replay turns them back into the same bytes.  Reads of the
# program's own file (not a system file) stay bytes in the trace.  Replay
# must print the same hashes and random number; the event streams must be
# far smaller than what was read.
. "$TOP/tests/lib.sh"
needs_buffer
sys=$(readlink -f "$(command -v bash)")    # a system file it does not map
size=$(stat -c %s "$sys")
nondet "$B/read_ref" "$sys" "$T/own.bin"
rr_check --status 0 --expect-out "^$sys: $size bytes" -- \
	"$B/read_ref" "$sys" "$T/own.bin"
dump_trace "$T/rr"
dump=$(cat "$T/rr.dump")
refs=$(grep -Ec "^ +(read|pread64)\([0-9]+\) = [0-9]+ \[the bytes of object [0-9a-f]{16} at [0-9]+\]$" <<<"$dump")
want_refs=$(( (size + 65535) / 65536 ))
[ "$refs" -ge "$want_refs" ] || fail "$refs reads of $sys kept by reference, expected at least $want_refs"
# The own file: 200000 random bytes in 4 reads, all inline (as bytes).
own_inline=$(grep -Ec '^ +read\([0-9]+\) = (65536|3392) "' <<<"$dump")
[ "$own_inline" -ge 4 ] || fail "the reads of the program's own file were not kept as bytes ($own_inline)"
streams=$(cat "$T/rr"/events.* | wc -c)
[ "$streams" -lt $((size / 4 + 300000)) ] ||
	fail "event streams hold $streams bytes after reading $size bytes of a system file"
# A trace whose referenced file is gone: one clear error, not wrong bytes.
hash=$(grep -Eom1 'the bytes of object [0-9a-f]{16}' <<<"$dump" | sed 's@.* @@')
rm -f "$SCRIBE_DIR/objects/$hash"
expect_status 125 "object $hash of the trace $T/rr is missing" "$SCRIBE" replay "$T/rr"
