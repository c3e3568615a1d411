# A program that cannot be run is reported, not recorded: a missing path or
# command exits 127 naming it, a file without execute permission, a
# directory and a file the kernel cannot execute exit 126; each with one
# "scribe: " line, and no trace left behind, neither under $SCRIBE_DIR nor
# at an -o path.
. "$TOP/tests/lib.sh"

# no_trace_left [DIR]: $SCRIBE_DIR holds no trace (it may exist, empty but
# for the object store, objects/), and DIR (an -o path) does not exist.
no_trace_left() {
	if [ -d "$SCRIBE_DIR" ]; then
		local left
		left=$(ls -A "$SCRIBE_DIR" | grep -vx objects)
		[ -z "$left" ] || fail "a failed record left '$left' in \$SCRIBE_DIR"
	fi
	[ -z "${1:-}" ] || [ ! -e "$1" ] || fail "a failed record left $1 behind"
}

# rec_fails N PATTERN PROG: `scribe record PROG` exits N with a line
# matching PATTERN, leaves no trace and never prints "trace saved".
rec_fails() {
	local want=$1 pat=$2 prog=$3
	expect_status "$want" "^scribe: .*$pat" timeout -k 5 60 "$SCRIBE" record -q -- "$prog"
	no_trace_left
	expect_status "$want" "^scribe: .*$pat" timeout -k 5 60 "$SCRIBE" record -q -o "$T/out" -- "$prog"
	no_trace_left "$T/out"
	# without -q too: the message is the same and nothing claims a trace
	local err
	err=$(timeout -k 5 60 "$SCRIBE" record -- "$prog" 2>&1 >/dev/null)
	[ "$(echo "$err" | grep -c '^scribe: ')" = 1 ] || fail "'scribe record $prog' printed more than one 'scribe:' line: $err"
	no_trace_left
}

rec_fails 127 '/nonexistent/prog.*No such file or directory' /nonexistent/prog
rec_fails 127 'no-such-command-xyz.*not found' no-such-command-xyz
rec_fails 127 "$T/nodir/prog" "$T/nodir/prog"

printf '#!/bin/sh\necho should not run\n' >"$T/noexec.sh"
chmod 0644 "$T/noexec.sh"
rec_fails 126 "$T/noexec.sh.*Permission denied" "$T/noexec.sh"

mkdir "$T/adir"
rec_fails 126 "$T/adir" "$T/adir"

# executable, but neither ELF nor script: execve fails with ENOEXEC
head -c 256 /dev/zero | tr '\0' 'x' >"$T/garbage"
chmod 0755 "$T/garbage"
rec_fails 126 "$T/garbage.*Exec format error" "$T/garbage"

# a script whose interpreter does not exist: ENOENT from execve, 127 as in a shell
printf '#!/nonexistent/interp\necho should not run\n' >"$T/badinterp"
chmod 0755 "$T/badinterp"
rec_fails 127 "$T/badinterp" "$T/badinterp"

# the non-executable file found through PATH: 126 too, naming it
mkdir "$T/bin" && cp "$T/noexec.sh" "$T/bin/scribe-noexec-xyz" && chmod 0644 "$T/bin/scribe-noexec-xyz"
expect_status 126 '^scribe: .*scribe-noexec-xyz' env PATH="$T/bin:/usr/bin:/bin" "$SCRIBE" record -q -- scribe-noexec-xyz
no_trace_left

# Nothing ran: the scripts would have printed.
out=$("$SCRIBE" record -q -- "$T/noexec.sh" 2>/dev/null)
[ -z "$out" ] || fail "the non-executable script ran: '$out'"
