# Output that cannot be written is an error: `scribe --help`, `dump`,
# `info`, `ls` and the replayed program's output sent to a full device
# (/dev/full) end with one `scribe: ` line and exit 125, not 0.  The
# replayed program still sees the results it had when recorded: its
# write to stdout "succeeded", as it says on stderr.
. "$TOP/tests/lib.sh"
[ -c /dev/full ] || fail "no /dev/full here"
prog='echo hello; echo "echo status $?" >&2'
rr_check --expect-out '^hello$' -- sh -c "$prog"
grep -qx 'echo status 0' "$T/rr.rec.err" || fail "recorded stderr: $(cat "$T/rr.rec.err")"

# full_case NAME CMD...: CMD with stdout on /dev/full exits 125 with one
# `scribe: ` line naming the error, and with stdout on a file exits 0.
full_case() {
	local name=$1 st; shift
	"$@" >/dev/full 2>"$T/$name.err"
	st=$?
	[ "$st" = 125 ] || fail "$name: exited $st with stdout on /dev/full, expected 125"
	[ "$(grep -c '^scribe: ' "$T/$name.err")" = 1 ] &&
		grep -q '^scribe: .*No space left on device' "$T/$name.err" ||
		fail "$name: stderr: $(cat "$T/$name.err")"
	"$@" >"$T/$name.out" 2>/dev/null || fail "$name: fails with stdout on a file"
	[ -s "$T/$name.out" ] || fail "$name: printed nothing"
}
full_case help "$SCRIBE" --help
full_case record-help "$SCRIBE" record --help
full_case dump "$SCRIBE" dump "$T/rr"
full_case info "$SCRIBE" info "$T/rr"
full_case ls "$SCRIBE" ls

# The replay: one line, 125, and the program's stderr as recorded.
"$SCRIBE" replay "$T/rr" >/dev/full 2>"$T/rep.err" </dev/null
st=$?
[ "$st" = 125 ] || fail "replay to /dev/full exited $st, expected 125"
[ "$(grep -c '^scribe: ' "$T/rep.err")" = 1 ] &&
	grep -q "^scribe: cannot write the replayed program's stdout: No space left on device" "$T/rep.err" ||
	fail "replay stderr: $(cat "$T/rep.err")"
grep -v '^scribe: ' "$T/rep.err" | cmp -s - "$T/rr.rec.err" ||
	fail "the replayed program saw other results: $(cat "$T/rep.err")"
