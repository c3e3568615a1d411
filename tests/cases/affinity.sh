# sched_getaffinity (CPU count and mask), sched_setaffinity to CPU 0 alone,
# the mask again and sched_getcpu(): replay prints what the recording printed.
# Natively every run prints the same, so no nondet; the mask the recorded
# program first sees must be the one it sees natively.
. "$TOP/tests/lib.sh"
native=$("$B/affinity") || fail "native run failed"
rr_check --status 0 --expect-out '^before: [1-9][0-9]* CPUs, mask( [0-9]+)+$' -- "$B/affinity"
[ "$(head -1 "$T/rr.rec.out")" = "$(echo "$native" | head -1)" ] ||
	fail "recorded '$(head -1 "$T/rr.rec.out")', native '$(echo "$native" | head -1)'"
grep -Eq '^after: [1-9][0-9]* CPUs, mask( [0-9]+)+$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -Eq '^sched_getcpu: [0-9]+$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
