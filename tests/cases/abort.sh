# abort(): the program dies of SIGABRT (status 134) in recording and replay.
. "$TOP/tests/lib.sh"
ulimit -c 0   # no core file in the working directory
rr_check --status 134 --expect-out '^about to abort$' -- "$B/abort"
grep -q '^aborting now$' "$T/rr.rec.err" || fail "stderr of the recording lacks the program's message"
