# lib.sh -- helpers for test cases (sourced by tests/cases/*.sh).
#
# Every case records a real program, replays it and checks that the replay
# matched: stdout and stderr byte for byte, the exit status, and that the
# replay consumed every recorded event (replay fails otherwise).  Cases
# whose program prints nondeterministic values also prove it: two native
# runs must differ, or the case proves nothing.
#
# Environment: SCRIBE (the scribe binary, default build/scribe), TOP (the
# repository), T (a private scratch directory for this case, removed after),
# SCRIBE_NO_BUFFER (1 in run.sh's --no-buffer runs: scribe records without
# the syscall buffer).
#
# A case ends in one of three ways: exit 0 (PASS), any other status (FAIL:
# `fail MESSAGE`), or a skip, which is never a pass:
#   skip REASON              the case could not test what it is for here.
#   skip_unsupported REASON  ... because this machine or mode cannot: one
#                            CPU, a kernel without the call, a --no-buffer
#                            run of a case about the syscall buffer.
# Both print "SKIP: REASON" (skip_unsupported: "SKIP: unsupported: REASON")
# and exit 77, as automake's harness does.  run.sh reports "SKIP NAME:
# REASON" and ends with "N passed, N failed, N skipped"; with CI=true
# (.ci/run) a plain skip counts as a failure: CI must run every case the
# machine supports.  A case that skips one part of itself does so at its
# end, after checking everything else.
#
# Shell options: nounset and pipefail, so that `"$SCRIBE" dump TR | grep`
# fails when dump does.  So does a pipeline whose first grep selects
# nothing, and one that pipes a long output into `grep -q` (grep stops
# reading at its match, the writer dies of SIGPIPE): grep files, or use
# <(...); dump_trace writes the dump to a file to grep.

set -u -o pipefail
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SCRIBE=${SCRIBE:-$TOP/build/scribe}
B=$TOP/build/tests            # compiled test programs
T=${T:-$(mktemp -d)}
export SCRIBE_DIR=$T/traces

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
skip_unsupported() { skip "unsupported: $*"; }

# buffered: true unless this run records without the syscall buffer.
buffered() { [ -z "${SCRIBE_NO_BUFFER:-}" ] || [ "$SCRIBE_NO_BUFFER" = 0 ]; }

# needs_buffer: the case tests the syscall buffer itself; in a --no-buffer
# run it would only repeat its buffered run, so it skips there.
needs_buffer() {
	buffered || skip_unsupported "tests the syscall buffer, which --no-buffer turns off"
}

# dump_trace TRACE: scribe dump TRACE into the file TRACE.dump; the case
# fails if dump does.
dump_trace() {
	"$SCRIBE" dump "$1" >"$1.dump" 2>"$1.dump.err" ||
		fail "scribe dump $1 exited $?: $(head -5 "$1.dump.err")"
}

# want REGEX...: each regex must match a line of the recorded output, the
# file $out (default $T/rr.rec.out, what rr_check leaves).
want() {
	local re f=${out:-$T/rr.rec.out}
	for re in "$@"; do
		grep -Eq "$re" "$f" || fail "no line /$re/ in the recorded output: $(cat "$f")"
	done
}

# nondet [--status N] CMD...: two native runs must print different output,
# and both must exit with status N (default 0): output that differs
# because the program failed proves nothing.
nondet() {
	local a b sa sb want=0
	[ "$1" = --status ] && { want=$2; shift 2; }
	command -v "$1" >/dev/null || fail "no program '$1' (run make test-programs)"
	a=$("$@" 2>&1); sa=$?
	b=$("$@" 2>&1); sb=$?
	[ "$sa" = "$want" ] && [ "$sb" = "$want" ] ||
		fail "native runs of '$*' exited $sa and $sb, expected $want: $(tail -3 <<<"$b")"
	[ "$a" != "$b" ] || fail "two native runs of '$*' print the same output: the test proves nothing"
}

# rr_check [options] -- CMD...
#   --stdin FILE     feed FILE to the program's stdin (record only: replay
#                    must not read it, so it gets /dev/null)
#   --status N       the program must exit with status N
#   --between CMD    run CMD (eval'd) between record and replay
#   --name NAME      trace name (default: rr)
#   --env K=V        add to the program's environment (repeatable)
#   --expect-out RE  stdout of the recording must match the regex RE
#   --rec-opt OPT    pass OPT to scribe record (repeatable), e.g. --chaos=7
# Leaves $T/NAME.rec.{out,err} and $T/NAME.rep.{out,err}, $T/NAME (trace).
rr_check() {
	local stdin=/dev/null status= between= name=rr expect=
	local -a envs=() ropts=()
	while [ $# -gt 0 ]; do
		case $1 in
		--rec-opt) ropts+=("$2"); shift 2;;
		--stdin) stdin=$2; shift 2;;
		--status) status=$2; shift 2;;
		--between) between=$2; shift 2;;
		--name) name=$2; shift 2;;
		--env) envs+=("$2"); shift 2;;
		--expect-out) expect=$2; shift 2;;
		--) shift; break;;
		*) break;;
		esac
	done
	local tr=$T/$name rs ps
	env "${envs[@]}" "$SCRIBE" record -q "${ropts[@]}" -o "$tr" -- "$@" <"$stdin" >"$tr.rec.out" 2>"$tr.rec.err"
	rs=$?
	[ -z "$status" ] || [ "$rs" = "$status" ] || { cat "$tr.rec.err" >&2; fail "record of '$*' exited $rs, expected $status"; }
	[ "$rs" != 125 ] || { cat "$tr.rec.err" >&2; fail "record of '$*' failed (125)"; }
	[ -z "$expect" ] || grep -Eq "$expect" "$tr.rec.out" || fail "recorded output of '$*' does not match /$expect/"
	[ -z "$between" ] || eval "$between"
	"$SCRIBE" replay "$tr" </dev/null >"$tr.rep.out" 2>"$tr.rep.err"
	ps=$?
	if [ "$ps" = 125 ] && grep -q '^scribe: ' "$tr.rep.err"; then
		grep '^scribe: ' "$tr.rep.err" >&2
		fail "replay of '$*' failed"
	fi
	cmp -s "$tr.rec.out" "$tr.rep.out" || { diff <(head -c 2000 "$tr.rec.out") <(head -c 2000 "$tr.rep.out") | head -20 >&2; fail "stdout differs between record and replay of '$*'"; }
	cmp -s "$tr.rec.err" "$tr.rep.err" || { diff "$tr.rec.err" "$tr.rep.err" | head -20 >&2; fail "stderr differs between record and replay of '$*'"; }
	[ "$rs" = "$ps" ] || fail "exit status differs: record $rs, replay $ps ('$*')"
	local n
	n=$("$SCRIBE" info --events "$tr") || fail "scribe info on the trace of '$*' failed"
	[ "$n" -gt 0 ] || fail "the trace of '$*' has no events"
	return 0
}

# expect_status N PATTERN CMD...: CMD exits N and its stderr matches PATTERN.
expect_status() {
	local want=$1 pat=$2; shift 2
	local err st
	err=$("$@" 2>&1 >/dev/null); st=$?
	[ "$st" = "$want" ] || fail "'$*' exited $st, expected $want (stderr: $err)"
	grep -Eq "$pat" <<<"$err" || fail "'$*': stderr '$err' does not match /$pat/"
	grep -q '^scribe: ' <<<"$err" || fail "'$*': no 'scribe: ...' line"
	if grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' <<<"$err"; then
		fail "'$*' crashed: $err"
	fi
	return 0
}

# no_strays PATTERN: no live process whose command line matches PATTERN
# remains (zombies waiting for init to reap them are dead already).
no_strays() {
	local left i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		left=$(ps -eo pid=,stat=,args= | awk -v p="$1" '$2 !~ /^Z/ && index($0, p) && !/awk -v p/')
		[ -z "$left" ] && return 0
		sleep 0.2
	done
	echo "$left" >&2
	fail "stray processes left: $1"
}

# multichunk_trace DIR: record 3 MiB read from /dev/urandom into DIR, so
# events.0 has several 1 MiB chunks; their offsets, sizes and first events
# (trace-tool chunks) go to $T/chunks, their number to $nchunks, the
# recording's output to $T/rec.out.
multichunk_trace() {
	local tool=$B/trace-tool
	[ -x "$tool" ] || fail "$tool is missing (make test-programs)"
	timeout -k 5 60 "$SCRIBE" record -q -o "$1" -- "$B/urandom_read" 3145728 \
		</dev/null >"$T/rec.out" 2>"$T/rec.err" || { cat "$T/rec.err" >&2; fail "record failed"; }
	tail -1 "$T/rec.out" | grep -qx 'total 3145728' ||
		fail "the program did not read 3 MiB: $(tail -1 "$T/rec.out")"
	"$tool" chunks "$1" 0 >"$T/chunks" || fail "trace-tool chunks failed"
	nchunks=$(wc -l <"$T/chunks")
	[ "$nchunks" -ge 3 ] || fail "events.0 has only $nchunks chunks: $(cat "$T/chunks")"
}

# small_fs: mount a 4 MiB tmpfs on $small ($T/small), unmounted when the
# case exits (an EXIT trap).  Needs root: without it the case fails.
small_fs() {
	small=$T/small
	mkdir -p "$small"
	mount -t tmpfs -o size=4m tmpfs "$small" 2>"$T/mount.err" ||
		fail "cannot mount a 4 MiB tmpfs on $small (this case needs root): $(cat "$T/mount.err")"
	trap 'umount "$small" 2>/dev/null || umount -l "$small"' EXIT
}
