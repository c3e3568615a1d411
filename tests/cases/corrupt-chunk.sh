# One flipped byte anywhere in an event stream or in the header is caught:
# replay, dump, info and info --events exit 125 with one "scribe: " line
# saying the trace is corrupt (for a chunk: the file and the chunk's
# offset), never a crash or a hang, and replay's output up to there is a
# prefix of the recorded output.  The program reads 3 MiB of /dev/urandom,
# so events.0 has several chunks (cut at 1 MiB); trace-tool gives their
# offsets.  Restored, the trace replays again.
. "$TOP/tests/lib.sh"
TOOL=$B/trace-tool
[ -x "$TOOL" ] || fail "$TOOL is missing (make test-programs)"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }

# flip FILE OFFSET: invert every bit of the byte at OFFSET.
flip() {
	local b
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	[ -n "$b" ] || fail "no byte at offset $2 of $1"
	printf "$(printf '\\%03o' $((b ^ 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none ||
		fail "cannot patch $1"
}

orig=$T/orig
multichunk_trace "$orig"
sc replay "$orig" >"$T/rep.out" 2>"$T/rep.err" || { cat "$T/rep.err" >&2; fail "replay of the intact trace failed"; }
cmp -s "$T/rec.out" "$T/rep.out" || fail "replay of the intact trace printed other output"

# all_corrupt TRACE PATTERN: every reader refuses TRACE, saying PATTERN.
all_corrupt() {
	local tr=$1 pat=$2 cmd
	for cmd in replay dump info "info --events"; do
		expect_status 125 "$pat" sc $cmd "$tr"
		sc $cmd "$tr" 2>"$T/bad.err" >/dev/null
		[ "$(grep -c '^scribe: ' "$T/bad.err")" = 1 ] ||
			fail "'scribe $cmd' on a corrupt trace did not print exactly one 'scribe:' line: $(cat "$T/bad.err")"
	done
	sc replay "$tr" >"$T/bad.out" 2>/dev/null
	cmp -s -n "$(stat -c %s "$T/bad.out")" "$T/bad.out" "$T/rec.out" ||
		fail "replay of a corrupt trace printed output that is not a prefix of the recorded output"
}

# fresh: a new copy of the intact trace in $T/bad.
fresh() { rm -rf "$T/bad"; cp -a "$orig" "$T/bad" || fail "cannot copy the trace"; }

# A byte inside the payload of every chunk in turn (first, middle, last).
flips=0
while read -r off raw stored first count; do
	[ "$stored" -gt 0 ] || fail "chunk at $off has an empty payload"
	for at in $((off + 40)) $((off + 40 + stored / 2)) $((off + 40 + stored - 1)); do
		fresh
		flip "$T/bad/events.0" "$at"
		cmp -s "$orig/events.0" "$T/bad/events.0" && fail "flipping byte $at changed nothing"
		all_corrupt "$T/bad" "^scribe: .*events\.0.*chunk at offset $off\b.*corrupt"
		flips=$((flips + 1))
	done
done <"$T/chunks"
[ "$flips" = $((nchunks * 3)) ] || fail "only $flips of $((nchunks * 3)) payload bytes were tried"

# Every field of the second chunk's header: magic, flags, raw and stored
# length, first event, count, reserved, checksum.
off2=$(sed -n 2p "$T/chunks" | cut -d' ' -f1)
for field in 0 4 8 12 16 24 28 32 39; do
	fresh
	flip "$T/bad/events.0" $((off2 + field))
	all_corrupt "$T/bad" "^scribe: .*events\.0.*offset $off2\b.*corrupt"
done

# The stream preamble's magic.
fresh
flip "$T/bad/events.0" 3
all_corrupt "$T/bad" '^scribe: .*events\.0.*corrupt'

# The header: a byte of the preamble's length, of the fields, of the
# checksum; and of its magic (a header that is no header at all).
hsize=$(stat -c %s "$orig/header")
for at in 13 20 $((hsize / 2)) $((hsize - 9)) $((hsize - 1)); do
	fresh
	flip "$T/bad/header" "$at"
	all_corrupt "$T/bad" '^scribe: .*header.*corrupt|^scribe: .*corrupt.*header'
done
fresh
flip "$T/bad/header" 2
all_corrupt "$T/bad" '^scribe: .*header.*(corrupt|bad magic)'

# The intact copy still replays: the damage alone made the difference.
sc replay "$orig" >"$T/rep2.out" 2>"$T/rep2.err" || { cat "$T/rep2.err" >&2; fail "replay of the intact trace failed at the end"; }
cmp -s "$T/rec.out" "$T/rep2.out" || fail "replay of the intact trace printed other output at the end"
