# A preemption probe waits for the spinning loop to come round to its
# hardware breakpoint; when the wait runs out (a loaded machine: the task
# got no CPU), scribe interrupts the task, and if the task hit the
# breakpoint just before the interrupt, that SIGTRAP is scribe's.  It was
# handed to the program, which died of it (Go, in test-apps, one run in a
# few under load).  SCRIBE_TEST_PROBE_RACE=1 makes every probe lose that race.
. "$TOP/tests/lib.sh"
for i in 1 2 3 4 5; do
	rr_check --name "r$i" --env SCRIBE_TEST_PROBE_RACE=1 --expect-out '^spun [0-9]+ ns' -- "$B/spin"
	grep -q SIGTRAP "$T/r$i.rec.err" && fail "the program got scribe's SIGTRAP: $(cat "$T/r$i.rec.err")"
done
dump_trace "$T/r1"
grep -Eq -- '--- preempted' "$T/r1.dump" || fail "the spinning thread was never preempted"
