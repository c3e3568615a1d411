# scribe is killed with SIGKILL while a task moves between its tracer
# threads (detached, parked in pause() on the scribe page): no tracer is
# there to take it down (PTRACE_O_EXITKILL covers only tracees), and
# without the reaper (src/core/reaper.c) it stayed in pause() forever.
# SCRIBE_TEST_PARK_MS keeps each moving task parked for 4 s, so the kill
# lands in that window; the test first checks that a task is parked and
# that the reaper runs, then that nothing of the program survives, in
# record and in replay.  The program: a shell starts a busy child (which
# stays on the shell's tracer thread) and then a sleep (which moves to
# the idle thread) and waits for it; the tag is its $0, in every process
# of the recorded tree until exec (and in the command line of scribe record
# and its reaper); replayed tasks show the trace's copy of sh instead.
. "$TOP/tests/lib.sh"
[ "$(nproc)" -ge 2 ] || skip_unsupported "one CPU: tasks never move between tracer threads"
tag=reaper-$$-$RANDOM
prog='while :; do :; done & sleep 3; kill $!'

# A descendant of process $1 parked at the scribe page: in pause() (34),
# its pc after the page's syscall instruction.
parked() {
	local p
	for p in $(ps -eo pid=,ppid= | awk -v root="$1" '
		{ parent[$1] = $2 }
		END { for (p in parent) for (q = p; q in parent; q = parent[q]) if (parent[q] == root) { print p; break } }'); do
		case $(cat "/proc/$p/syscall" 2>/dev/null) in
		"34 "*" 0x70000002") echo "$p";;
		esac
	done
}

# gone PID: dead, or a zombie (dead, left for init to reap)
gone() {
	local i
	for i in $(seq 10); do
		case $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) in
		""|Z|X) return 0;;
		esac
		sleep 0.2
	done
	return 1
}

# kill_parked WHAT ARGS...: run scribe WHAT ARGS with long parks, SIGKILL
# it once a task is parked, then check that nothing tagged is left.
# Which thread a new process goes to depends on the load the tracer
# threads see, so on a busy machine the sleep may stay where it is: the
# run is then made again (three tries), as its premise did not hold.
kill_parked() {
	local what=$1 pid p= i try
	shift
	for try in 1 2 3; do
		rm -rf "$T/killed"      # record's trace, from a try before
		SCRIBE_TEST_PARK_MS=4000 "$SCRIBE" "$what" "$@" </dev/null >"$T/$what.out" 2>"$T/$what.err" &
		pid=$!
		for i in $(seq 60); do
			p=$(parked "$pid")
			[ -n "$p" ] && break
			sleep 0.1
		done
		[ -n "$p" ] && break
		exec 3>&2 2>/dev/null
		kill -9 "$pid"
		wait "$pid"
		exec 2>&3 3>&-
		no_strays "$tag"
	done
	[ -n "$p" ] || { cat "$T/$what.err" >&2; fail "$what: no task was parked between tracer threads within 6 s, three times"; }
	ps -eo comm=,args= | awk -v t="$T/" '$1 == "scribe-reaper" && index($0, t) { n++ } END { exit !n }' ||
		{ kill -9 "$pid"; fail "$what: no scribe-reaper process is running"; }
	exec 3>&2 2>/dev/null    # not the shell's "Killed" job report
	kill -9 "$pid"
	wait "$pid"
	exec 2>&3 3>&-
	gone "$p" || fail "$what: parked task $p survived scribe"
	no_strays "$tag"
}

kill_parked record -q -o "$T/killed" -- sh -c "$prog" "$tag"

# A whole recording with long parks still records and replays exactly.
SCRIBE_TEST_PARK_MS=300 "$SCRIBE" record -q -o "$T/full" -- sh -c "$prog; echo done \$\$" "$tag" \
	</dev/null >"$T/full.rec" 2>"$T/full.rec.err" || { cat "$T/full.rec.err" >&2; fail "record with parks failed"; }
grep -q '^done ' "$T/full.rec" || fail "the recorded program did not finish: $(cat "$T/full.rec")"
SCRIBE_TEST_PARK_MS=300 "$SCRIBE" replay "$T/full" </dev/null >"$T/full.rep" 2>"$T/full.rep.err" ||
	{ cat "$T/full.rep.err" >&2; fail "replay with parks failed"; }
cmp -s "$T/full.rec" "$T/full.rep" || fail "replay printed '$(cat "$T/full.rep")', recorded '$(cat "$T/full.rec")'"
no_strays "$tag"

kill_parked replay "$T/full"
