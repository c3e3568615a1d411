# A program that signals its own process group -- kill(0, SIGABRT),
# kill(0, SIGTERM), kill(0, SIGKILL), a shell's `kill -- -$$` -- kills
# itself and its children, not scribe: it records and replays with its own
# death status, like native.  (scribe runs it in a process group of its
# own.)  Every run here is in a session of its own (setsid), so a scribe
# that shared its group with the program cannot take this test with it.
. "$TOP/tests/lib.sh"
tag=pgroup-kill-$$-$RANDOM

# pg_case NAME CMD...: native, record and replay of CMD agree.
pg_case() {
	local name=$1 ns rs ps n; shift
	timeout -k 1 20 setsid -w "$@" >"$T/$name.nat" 2>/dev/null </dev/null
	ns=$?
	timeout -k 1 20 setsid -w "$SCRIBE" record -q -o "$T/$name" -- "$@" \
		>"$T/$name.rec" 2>"$T/$name.rec.err" </dev/null
	rs=$?
	[ "$rs" = "$ns" ] || fail "$name: record exited $rs, native $ns: $(cat "$T/$name.rec.err")"
	cmp -s "$T/$name.nat" "$T/$name.rec" || fail "$name: recorded output differs from native"
	n=$("$SCRIBE" info --events "$T/$name") || fail "$name: scribe info failed"
	[ "$n" -gt 0 ] || fail "$name: the trace has no events"
	"$SCRIBE" replay "$T/$name" >"$T/$name.rep" 2>"$T/$name.rep.err" </dev/null
	ps=$?
	[ "$ps" = "$ns" ] || fail "$name: replay exited $ps, native $ns: $(cat "$T/$name.rep.err")"
	cmp -s "$T/$name.rec" "$T/$name.rep" || fail "$name: replayed output differs"
	"$SCRIBE" info "$T/$name" | grep -q "signal-$((ns - 128))" ||
		fail "$name: the process tree does not show the death by signal $((ns - 128))"
}

pg_case abrt "$B/pgkill" 6 2 "$tag"
pg_case term "$B/pgkill" 15 2 "$tag"
pg_case kill "$B/pgkill" 9 2 "$tag"
pg_case shell bash -c "sleep 30 & echo started; kill -- -\$\$; wait; echo not reached $tag"
[ "$(cat "$T/shell.rec")" = started ] || fail "shell: $(cat "$T/shell.rec")"
no_strays "$tag"
