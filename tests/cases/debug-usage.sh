# scribe debug: --help, bad arguments and traces that cannot be replayed
# give one `scribe:` line and status 125, and leave nothing running.
. "$TOP/tests/lib.sh"
"$SCRIBE" debug --help >"$T/help" || fail "scribe debug --help failed"
head -1 "$T/help" >"$T/first"
grep -q '^Usage: scribe debug' "$T/first" || fail "help: $(cat "$T/first")"
expect_status 125 'debug: -p wants a recorded pid' "$SCRIBE" debug -p x
expect_status 125 'debug: -p and -e do not go together' "$SCRIBE" debug -p 1 -e 2
expect_status 125 'debug: --serve wants a port' "$SCRIBE" debug --serve 99999
expect_status 125 'scribe: .*nope' "$SCRIBE" debug "$T/nope"
rr_check --status 3 -- "$B/exitcode" 3
expect_status 125 'the trace has no event 99999' "$SCRIBE" debug -e 99999 "$T/rr"
expect_status 125 "the replay ended before process 4242's exec" "$SCRIBE" debug -p 4242 "$T/rr"
no_strays "$T/rr"
