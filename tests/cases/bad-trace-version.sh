# A trace whose header claims another format version is refused, not
# misread: replay, dump and info exit 125 naming the version, and the
# program does not run.  Put back, the same trace replays again.
. "$TOP/tests/lib.sh"
TOOL=$B/trace-tool
[ -x "$TOOL" ] || fail "$TOOL is missing (make test-programs)"
tr=$T/v
"$SCRIBE" record -q -o "$tr" -- /bin/echo format version test >"$T/rec.out" 2>"$T/rec.err" ||
	{ cat "$T/rec.err" >&2; fail "record failed"; }
orig=$(od -An -tu4 -j8 -N4 "$tr/header" | tr -d ' ')
[ -n "$orig" ] || fail "cannot read the version field of $tr/header"
for v in 0 $((orig + 1)) 99 4294967295; do
	"$TOOL" set-version "$tr" "$v" || fail "trace-tool set-version $v failed"
	[ "$(od -An -tu4 -j8 -N4 "$tr/header" | tr -d ' ')" = "$v" ] || fail "set-version $v did not change the header"
	expect_status 125 "version $v\b.*not supported" "$SCRIBE" replay "$tr"
	expect_status 125 "version $v\b" "$SCRIBE" dump "$tr"
	expect_status 125 "version $v\b" "$SCRIBE" info "$tr"
	out=$("$SCRIBE" replay "$tr" 2>/dev/null)
	[ -z "$out" ] || fail "replay of a version-$v trace ran the program: '$out'"
done
"$TOOL" set-version "$tr" "$orig" || fail "trace-tool set-version $orig failed"
"$SCRIBE" replay "$tr" >"$T/rep.out" 2>"$T/rep.err" || { cat "$T/rep.err" >&2; fail "replay after restoring version $orig failed"; }
cmp -s "$T/rec.out" "$T/rep.out" || fail "replay after restoring version $orig printed '$(cat "$T/rep.out")'"
