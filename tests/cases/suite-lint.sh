# Weak checks the suite once had, kept out of every case (tests/cases/,
# tests/apps/): `scribe dump` piped into another command (its exit status
# is lost, and under lib.sh's pipefail grep -q's early exit kills dump with
# SIGPIPE: use dump_trace and grep the file), and a recording forced to
# use the syscall buffer with --env SCRIBE_NO_BUFFER=0 (its --no-buffer
# run repeats the buffered one: use needs_buffer or buffered).  The
# harness files themselves are checked to hold the rule's helpers.
. "$TOP/tests/lib.sh"
cd "$TOP" || fail "cd $TOP"
files=(tests/cases/*.sh tests/cases/*.inc tests/apps/*.sh)
[ "${#files[@]}" -gt 50 ] || fail "only ${#files[@]} case files found"
# offenders ERE: lines (not comments) of the case files matching ERE.
offenders() { grep -HnE "$1" "${files[@]}" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' | grep -v '^tests/cases/suite-lint\.sh:'; }
bad=$(offenders '(SCRIBE"?|[[:space:]]sc)[[:space:]]+dump[^|]*[^|]\|[^|]')
[ -z "$bad" ] || fail "scribe dump piped (use dump_trace and grep its file):
$bad"
bad=$(offenders 'SCRIBE_NO_BUFFER=0')
[ -z "$bad" ] || fail "a recording forced to use the syscall buffer (use needs_buffer or buffered):
$bad"
grep -q '^dump_trace()' tests/lib.sh && grep -q '^needs_buffer()' tests/lib.sh ||
	fail "tests/lib.sh lacks dump_trace or needs_buffer"
