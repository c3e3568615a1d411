# gdb.sh -- helpers for the `scribe debug` cases (sourced after lib.sh).

command -v gdb >/dev/null || skip "gdb is not installed (scripts/deps.sh installs it)"

# debug_gdb TRACE SCRIPT OUT [SCRIBE_DEBUG_ARGS...]: scribe debug TRACE
# with gdb in batch mode running SCRIPT; gdb's output (and the program's)
# to OUT, scribe's exit status to $dbg_status.  Bounded: 120 s.
debug_gdb() {
	local tr=$1 script=$2 out=$3
	shift 3
	timeout -k 5 120 "$SCRIBE" debug "$@" "$tr" -- -batch -nx -x "$script" \
		</dev/null >"$out" 2>&1
	dbg_status=$?
	[ "$dbg_status" != 124 ] || fail "scribe debug timed out: $(tail -5 "$out")"
	if grep -Eq '^Segmentation|AddressSanitizer|runtime error|Remote communication error|Remote connection closed' "$out"; then
		fail "scribe debug broke: $(grep -E '^Segmentation|Sanitizer|runtime error|Remote' "$out" | head -3)"
	fi
	return 0
}

# gdb_want OUT REGEX...: each regex matches a line of gdb's output.
gdb_want() {
	local f=$1 re
	shift
	for re in "$@"; do
		grep -Eq "$re" "$f" || fail "gdb's output has no line /$re/: $(grep -v '^Reading' "$f" | tail -30)"
	done
}

# Record gdb_threads (tests/programs/gdb_threads.c: two threads visiting a
# breakpoint in turn) on its known input, and check the replay.
record_gdb_threads() {
	echo "hello-watch" >"$T/in.txt"
	rr_check --expect-out '^total 102, read 12$' -- "$B/gdb_threads" "$T/in.txt"
}
