# A program's own open of the file that is scribe's output (/dev/null, or
# a log file) is not scribe's output: its writes are buffered like any
# file's (issue 22: dd of=/dev/null > /dev/null made every write a stop),
# and replay shows again only what went to the descriptors the program
# got from scribe.
. "$TOP/tests/lib.sh"
want_out=$'to stdout\nwrote 20000 bytes to /dev/null'

# scribe's stdout is /dev/null, and so is the program's own descriptor
"$SCRIBE" record -q -o "$T/a" -- "$B/devnull_own" >/dev/null 2>"$T/a.err" ||
	{ cat "$T/a.err" >&2; fail "record with stdout on /dev/null failed"; }
"$SCRIBE" replay "$T/a" >"$T/a.rep" 2>"$T/a.rep.err" </dev/null ||
	{ cat "$T/a.rep.err" >&2; fail "replay failed"; }
[ "$(cat "$T/a.rep")" = "$want_out" ] || fail "replay showed: $(cat "$T/a.rep")"
events=$("$SCRIBE" info --events "$T/a") || fail "scribe info failed"
if buffered; then
	[ "$events" -lt 2000 ] || fail "$events events: writes to the program's own /dev/null stopped"
else
	[ "$events" -gt 20000 ] || fail "only $events events with every call traced"
fi

# scribe's stdout is a file that the program also opens by its path
: >"$T/log"
"$SCRIBE" record -q -o "$T/b" -- "$B/devnull_own" "$T/log" >>"$T/log" 2>"$T/b.err" ||
	{ cat "$T/b.err" >&2; fail "record with stdout on a file failed"; }
[ "$(cat "$T/log")" = $'to stdout\nown open\nwrote 20000 bytes to /dev/null' ] ||
	fail "the recorded program wrote: $(cat "$T/log")"
"$SCRIBE" replay "$T/b" >"$T/b.rep" 2>"$T/b.rep.err" </dev/null ||
	{ cat "$T/b.rep.err" >&2; fail "replay failed"; }
[ "$(cat "$T/b.rep")" = "$want_out" ] || fail "replay showed: $(cat "$T/b.rep")"
if buffered; then
	dump_trace "$T/b"
	grep -Eq '^ +write\([0-9]+\) = 9$' "$T/b.dump" ||
		fail "the write to the program's own open of scribe's output file was not buffered"
fi
