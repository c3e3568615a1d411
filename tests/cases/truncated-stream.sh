# An event stream cut short inside a chunk (a recorder that died mid-write)
# replays up to the last complete chunk: the program's output up to there,
# a prefix of the recorded output, then exit 125 with
#   scribe: trace ends early at event N: the stream is cut short (corrupt trace)
# (the header says the recording completed, so this is damage to the file;
# a recorder killed mid-way is recorder-killed.serial.sh)
# where N is the first event of the cut chunk.  dump lists the events
# before N and exits 125 the same way; info reports the cut chunk and exits
# 125 (the recording completed: its stream is damaged), and so does info
# --events.  The program reads 3 MiB of
# /dev/urandom, printing a line per 64 KiB read, so events.0 has several
# chunks; trace-tool gives their offsets.
. "$TOP/tests/lib.sh"
TOOL=$B/trace-tool
[ -x "$TOOL" ] || fail "$TOOL is missing (make test-programs)"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }

orig=$T/orig
multichunk_trace "$orig"

# cut_at SIZE FIRST: events.0 cut to SIZE bytes, inside the chunk whose
# first event is FIRST.
cut_at() {
	local size=$1 first=$2 tr=$T/cut rs
	rm -rf "$tr"
	cp -a "$orig" "$tr" || fail "cannot copy the trace"
	truncate -s "$size" "$tr/events.0" || fail "truncate failed"
	local msg="^scribe: trace ends early at event $first: the stream is cut short (corrupt trace)$"

	sc replay "$tr" >"$T/cut.out" 2>"$T/cut.err"
	rs=$?
	[ "$rs" = 125 ] || { cat "$T/cut.err" >&2; fail "replay of events.0 cut at $size exited $rs, expected 125"; }
	[ "$(grep -c '^scribe: ' "$T/cut.err")" = 1 ] && grep -q "$msg" "$T/cut.err" ||
		fail "replay of events.0 cut at $size: stderr '$(cat "$T/cut.err")' is not one line matching /$msg/"
	! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/cut.err" || fail "replay crashed: $(cat "$T/cut.err")"
	local n
	n=$(stat -c %s "$T/cut.out")
	cmp -s -n "$n" "$T/cut.out" "$T/rec.out" ||
		fail "replay of events.0 cut at $size printed output that is not a prefix of the recorded output"
	[ "$n" -lt "$(stat -c %s "$T/rec.out")" ] || fail "replay of events.0 cut at $size printed all the output"

	# dump: the events before the cut, then the same line
	sc dump "$tr" >"$T/cut.dump" 2>"$T/cut.derr"
	rs=$?
	[ "$rs" = 125 ] || fail "dump of events.0 cut at $size exited $rs, expected 125"
	grep -q "$msg" "$T/cut.derr" || fail "dump of events.0 cut at $size: '$(cat "$T/cut.derr")' does not match /$msg/"
	[ "$(grep -Ec '^ *[0-9]+ ' "$T/cut.dump")" -ge "$first" ] || fail "dump of events.0 cut at $size lists fewer than $first events"
	! grep -Eq "^ *$first " "$T/cut.dump" || fail "dump of events.0 cut at $size lists event $first, which was cut"

	# Replay printed everything the program wrote before event N: as many
	# lines as the dump shows writes to fd 1.
	local writes lines
	writes=$(grep -c '\] write(1,' "$T/cut.dump")
	lines=$(wc -l <"$T/cut.out")
	[ "$writes" -gt 0 ] || fail "no write(1, ...) event before event $first: the case proves nothing"
	[ "$lines" = "$writes" ] || fail "replay of events.0 cut at $size printed $lines lines; the $first events left hold $writes writes"

	# info: the stream is readable up to the cut, and says so, but the
	# trace is damaged
	sc info "$tr" >"$T/cut.info" 2>"$T/cut.ierr"
	rs=$?
	[ "$rs" = 125 ] || fail "info of events.0 cut at $size exited $rs, expected 125"
	[ "$(grep -c '^scribe: ' "$T/cut.ierr")" = 1 ] && grep -q '^scribe: .*cut short.*(corrupt trace)$' "$T/cut.ierr" ||
		fail "info of events.0 cut at $size: stderr '$(cat "$T/cut.ierr")'"
	grep -q "^events: *$first in 1 stream (the last chunk is cut short)" "$T/cut.info" ||
		fail "info of events.0 cut at $size does not report $first events and a cut chunk: $(grep events: "$T/cut.info")"
	expect_status 125 'cut short' sc info --events "$tr"
}

# In the middle of the last chunk's payload, of its header, right after its
# first byte; then in the middle of the chunk before (the last one gone).
last=$(tail -1 "$T/chunks")
read -r off raw stored first count <<<"$last"
cut_at $((off + 40 + stored / 2)) "$first"
cut_at $((off + 40 + stored - 1)) "$first"
cut_at $((off + 20)) "$first"
cut_at $((off + 1)) "$first"
read -r off raw stored first count <<<"$(sed -n 2p "$T/chunks")"
cut_at $((off + 40 + stored / 2)) "$first"

# Cut exactly between two chunks, the header still saying the recording
# ended: nothing is cut short, but events are missing.  Replay must still
# stop with 125 and one "scribe:" line (which one is not fixed here),
# having printed a prefix of the recorded output; never a crash or hang.
read -r off raw stored first count <<<"$last"
rm -rf "$T/cut"
cp -a "$orig" "$T/cut" && truncate -s "$off" "$T/cut/events.0" || fail "cannot cut the trace"
sc replay "$T/cut" >"$T/cut.out" 2>"$T/cut.err"
rs=$?
[ "$rs" = 125 ] || fail "replay of events.0 cut between chunks exited $rs, expected 125: $(cat "$T/cut.err")"
[ "$(grep -c '^scribe: ' "$T/cut.err")" = 1 ] || fail "replay of events.0 cut between chunks: not one 'scribe:' line: $(cat "$T/cut.err")"
! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/cut.err" || fail "replay crashed: $(cat "$T/cut.err")"
cmp -s -n "$(stat -c %s "$T/cut.out")" "$T/cut.out" "$T/rec.out" ||
	fail "replay of events.0 cut between chunks printed output that is not a prefix of the recorded output"
