# execve from a thread that is not the leader: the main thread is blocked in
# pause(), another loops in nanosleep, a third prints a timestamp and execs
# /bin/echo with it; the kernel kills the others and the execing thread takes
# over the process.  scribe runs under a 20 s limit here so that a hang fails
# this case quickly (as a "scribe:" failure) instead of at the suite timeout.
. "$TOP/tests/lib.sh"
real_scribe=$SCRIBE
SCRIBE=$T/scribe-limited
cat >"$SCRIBE" <<LIMIT
#!/bin/sh
timeout -k 5 20 "$real_scribe" "\$@"
st=\$?
if [ \$st = 124 ] || [ \$st = 137 ]; then
	echo "scribe: \$1 did not finish within 20 s (stopped by the test)" >&2
	exit 125
fi
exit \$st
LIMIT
chmod +x "$SCRIBE"
nondet "$B/exec_thread"
rr_check --status 0 --expect-out '^thread [0-9]+\.[0-9]{9}: exec from a thread that is not the leader: 1$' -- "$B/exec_thread"
stamp=$(sed -n 's/^thread \([0-9.]*\): .*/\1/p' "$T/rr.rec.out")
[ "$(sed -n 2p "$T/rr.rec.out")" = "echo after exec, stamp $stamp" ] || fail "echo: $(cat "$T/rr.rec.out")"
[ "$(wc -l <"$T/rr.rec.out")" = 2 ] || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/exec_thread"
