# replay, dump and info refuse what is not a trace, each with exit 125 and
# one "scribe: " line: a path that does not exist ("no trace"), a name not
# under $SCRIBE_DIR, an empty directory, a directory of other files and a
# plain file ("not a scribe trace"), and no argument at all before anything
# was recorded (the message says nothing was recorded and how to record).
. "$TOP/tests/lib.sh"

sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }

# Fresh $SCRIBE_DIR: nothing recorded yet, and it does not even exist.
[ ! -e "$SCRIBE_DIR" ] || fail "\$SCRIBE_DIR exists before the first recording"
for cmd in replay dump info "info --events"; do
	expect_status 125 "^scribe: .*(nothing recorded|no trace).*scribe record" sc $cmd
done
# The same with an existing but empty $SCRIBE_DIR.
mkdir -p "$SCRIBE_DIR"
for cmd in replay dump info; do
	expect_status 125 "^scribe: .*(nothing recorded|no trace).*$SCRIBE_DIR.*scribe record" sc $cmd
done

for cmd in replay dump info "info --events"; do
	expect_status 125 "^scribe: no trace at $T/missing\b" sc $cmd "$T/missing"
	expect_status 125 "^scribe: no trace at $T/missing/deeper\b" sc $cmd "$T/missing/deeper"
	# a bare name is looked up under $SCRIBE_DIR
	expect_status 125 "^scribe: no trace at .*no-such-trace-xyz" sc $cmd no-such-trace-xyz
done

mkdir "$T/empty" "$T/other"
echo hello >"$T/other/readme"
mkdir "$T/other/files"
: >"$T/other/events.0"
echo "not a directory" >"$T/plain"
for cmd in replay dump info "info --events"; do
	for d in "$T/empty" "$T/other" "$T/plain"; do
		expect_status 125 "^scribe: $d is not a scribe trace" sc $cmd "$d"
		out=$(sc $cmd "$d" 2>/dev/null)
		[ -z "$out" ] || fail "'scribe $cmd $d' printed '$out' on stdout"
	done
done

# Only one "scribe:" line each time, and nothing was created.
err=$(sc replay "$T/empty" 2>&1 >/dev/null)
[ "$(echo "$err" | wc -l)" = 1 ] || fail "replay of an empty directory printed more than one line: $err"
[ -z "$(ls -A "$T/empty")" ] || fail "replay wrote into the empty directory: $(ls -A "$T/empty")"
[ -z "$(ls -A "$SCRIBE_DIR")" ] || fail "something was created in \$SCRIBE_DIR: $(ls -A "$SCRIBE_DIR")"

# A 'latest' link pointing at a trace that was removed.
"$SCRIBE" record -q -- /bin/true || fail "record of /bin/true failed"
"$SCRIBE" replay >/dev/null 2>&1 || fail "replay of the latest trace failed"
target=$(readlink -f "$SCRIBE_DIR/latest")
[ -d "$target" ] || fail "no 'latest' link after a record"
rm -rf "$target"
for cmd in replay dump info; do
	expect_status 125 '^scribe: the latest recording, .*, no longer exists' sc $cmd
done
