# The syscall buffer (src/preload/): calls the library makes in-process and
# calls it leaves traced, from two threads and a fork child, while a 1 ms
# timer interrupts them (signals held while the library is in a call are
# taken at its SB_SYS_SYNC stop).  Replay must print the same times, pids,
# thread order and signal count; the trace must show buffered calls and
# far fewer events than the program made calls (40,000 writes and as many
# clock_gettime); with --no-buffer every one is an event and replay
# matches too.
. "$TOP/tests/lib.sh"
needs_buffer
nondet "$B/sbuf_mix"
rr_check --status 0 --expect-out '^signals [0-9]+ ' -- "$B/sbuf_mix"
dump_trace "$T/rr"
grep -Eq '^ +write\([0-9]+\) = 16$' "$T/rr.dump" || fail "no buffered write in the trace"
grep -Eq '^ +read\([0-9]+\) = 1 "x"$' "$T/rr.dump" || fail "the pipe read with data was not buffered"
grep -Eq '^ +read\([0-9]+\) = -1 EAGAIN' "$T/rr.dump" || fail "the pipe read without data did not fall back"
events=$("$SCRIBE" info --events "$T/rr")
[ "$events" -lt 5000 ] || fail "$events events: the calls were not buffered"
rr_check --name nb --env SCRIBE_NO_BUFFER=1 --status 0 --expect-out '^signals [0-9]+ ' -- "$B/sbuf_mix"
dump_trace "$T/nb"
if grep -q 'buffered calls' "$T/nb.dump"; then fail "SCRIBE_NO_BUFFER=1 still buffered"; fi
events=$("$SCRIBE" info --events "$T/nb")
[ "$events" -gt 80000 ] || fail "only $events events without buffering"
