# One flipped byte anywhere in an event stream or in the header is caught:
# replay, dump, info and info --events exit 125 with one "scribe: " line
# saying the trace is corrupt (for a chunk: the file and the chunk's
# offset), never a crash or a hang, and replay's output up to there is a
# prefix of the recorded output.  The program reads 3 MiB of /dev/urandom,
# so events.0 has several chunks (cut at 1 MiB); trace-tool gives their
# offsets.  First chosen bytes (every header field, each chunk's payload),
# then bytes at random positions of every part: the header, the stream's
# preamble, chunk headers, payloads, and the files the trace stores (which
# only replay reads: it must refuse them).  The random positions come from
# a seed printed on failure; CORRUPT_SEED=N repeats a run.  Restored, the
# trace replays again.
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
# Packed, so that each copy of the trace holds its own objects to damage
# (an unpacked trace's objects are the store's, shared by every copy).
"$SCRIBE" pack "$orig" >/dev/null 2>"$T/pack.err" || fail "scribe pack failed: $(cat "$T/pack.err")"
sc replay "$orig" >"$T/rep.out" 2>"$T/rep.err" || { cat "$T/rep.err" >&2; fail "replay of the intact trace failed"; }
cmp -s "$T/rec.out" "$T/rep.out" || fail "replay of the intact trace printed other output"

readers=(replay dump info "info --events")
# refused WHAT PATTERN CMD...: each reader CMD on the damaged copy $T/bad
# exits 125 with one "scribe: " line matching PATTERN and no sanitizer
# report; replay prints a prefix of the recorded output.
refused() {
	local what=$1 pat=$2 cmd st; shift 2
	for cmd in "$@"; do
		sc $cmd "$T/bad" >"$T/bad.out" 2>"$T/bad.err"
		st=$?
		[ "$st" = 125 ] && [ "$(grep -c '^scribe: ' "$T/bad.err")" = 1 ] &&
			grep -Eq "$pat" "$T/bad.err" &&
			! grep -Eq 'AddressSanitizer|runtime error|Segmentation|Aborted' "$T/bad.err" ||
			fail "${seed:+seed $seed, }$what: 'scribe $cmd' exited $st: $(head -c 600 "$T/bad.err")"
		[ "$cmd" != replay ] || cmp -s -n "$(stat -c %s "$T/bad.out")" "$T/bad.out" "$T/rec.out" ||
			fail "${seed:+seed $seed, }$what: replay printed output that is not a prefix of the recorded output"
	done
}
# all_corrupt PATTERN: every reader refuses $T/bad, saying PATTERN.
all_corrupt() { refused "/$1/" "$1" "${readers[@]}"; }

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
		all_corrupt "^scribe: .*events\.0.*chunk at offset $off\b.*corrupt"
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
	all_corrupt "^scribe: .*events\.0.*offset $off2\b.*corrupt"
done

# The stream preamble's magic.
fresh
flip "$T/bad/events.0" 3
all_corrupt '^scribe: .*events\.0.*corrupt'

# The header: a byte of the preamble's length, of the fields, of the
# checksum; and of its magic (a header that is no header at all).
hsize=$(stat -c %s "$orig/header")
for at in 13 20 $((hsize / 2)) $((hsize - 9)) $((hsize - 1)); do
	fresh
	flip "$T/bad/header" "$at"
	all_corrupt '^scribe: .*header.*corrupt|^scribe: .*corrupt.*header'
done
fresh
flip "$T/bad/header" 2
all_corrupt '^scribe: .*header.*(corrupt|bad magic)'

# ---- bytes at random positions ------------------------------------------
seed=${CORRUPT_SEED:-$(( 10#$(date +%N) % 100000 ))}
RANDOM=$seed
# rnd N: a random number in [0, N), N up to 2^30.
rnd() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); }

# Any damage: one line calling the trace corrupt, or reading a version
# this scribe does not (a flipped version field).
any_re='^scribe: .*(corrupt trace\)|version [0-9]+ is not supported)'
# flip_in FILE LO N: flip a random byte of [LO, LO+N) of FILE in a fresh
# copy; all readers must refuse it.
flip_in() {
	local at
	at=$(( $2 + $(rnd "$3") ))
	fresh
	flip "$T/bad/$1" "$at"
	refused "$1 byte $at" "$any_re" "${readers[@]}"
}
for _ in 1 2 3 4 5 6; do flip_in header 0 "$hsize"; done
for _ in 1 2 3 4; do flip_in events.0 0 16; done          # the preamble
mapfile -t chunk <"$T/chunks"
for _ in 1 2 3 4 5 6 7 8; do
	read -r off raw stored first count <<<"${chunk[$(rnd "$nchunks")]}"
	flip_in events.0 "$off" 40                         # a chunk header
	read -r off raw stored first count <<<"${chunk[$(rnd "$nchunks")]}"
	flip_in events.0 $((off + 40)) "$stored"           # a chunk payload
done

# The objects replay uses: those the dump names (maps of files, exec
# images).  Dump and info do not read them; replay must refuse, naming
# the object and the trace.
"$SCRIBE" dump "$orig" >"$T/orig.dump" || fail "dump of the intact trace failed"
mapfile -t objs < <(grep -oE '\[file [0-9a-f]{16}\]|image [0-9a-f]{16}' "$T/orig.dump" |
	grep -oE '[0-9a-f]{16}' | sort -u)
[ "${#objs[@]}" -ge 2 ] || fail "the dump names only ${#objs[@]} stored files"
for _ in 1 2 3 4 5 6; do
	h=${objs[$(rnd ${#objs[@]})]}
	fresh
	f=$(find "$T/bad" -type f -name "$h" | head -1)
	[ -n "$f" ] || fail "the dump names $h, which the trace does not store"
	[ "$(stat -c %h "$f")" = 1 ] || fail "the copy of $h has other links: not damaging it"
	at=$(rnd "$(stat -c %s "$f")")
	flip "$f" "$at"
	refused "stored file $h byte $at" '^scribe: object [0-9a-f]{16} of the trace .* is damaged' replay
	for cmd in dump info; do
		sc $cmd "$T/bad" >/dev/null 2>"$T/bad.err"
		st=$?
		{ [ "$st" = 0 ] || [ "$st" = 125 ]; } && ! grep -Eq 'AddressSanitizer|runtime error' "$T/bad.err" ||
			fail "seed $seed, stored file $h byte $at: 'scribe $cmd' exited $st: $(head -c 600 "$T/bad.err")"
	done
done

# The intact copy still replays: the damage alone made the difference.
sc replay "$orig" >"$T/rep2.out" 2>"$T/rep2.err" || { cat "$T/rep2.err" >&2; fail "replay of the intact trace failed at the end"; }
cmp -s "$T/rec.out" "$T/rep2.out" || fail "replay of the intact trace printed other output at the end"
