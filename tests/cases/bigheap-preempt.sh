# Preempting threads of a process with a big heap (issue 22): two threads
# compute without syscalls in a process with 200 MiB of non-zero heap.
# Each preemption's snapshot must hold only the pages its slice wrote
# (core/dirty.h: userfaultfd write-protection and PAGEMAP_SCAN), not the
# heap: before, a snapshot over 64 MiB was not taken at all, the threads
# were not preempted for up to 20 slices, and then a whole-heap snapshot
# was.  Replay must print the same and place the preemptions quickly.
. "$TOP/tests/lib.sh"
nondet "$B/bigheap" 8 20000000
rr_check --status 0 --expect-out '^threads ' -- "$B/bigheap" 200 200000000
"$SCRIBE" replay -q --stats "$T/rr" 2>"$T/stats" >/dev/null || fail "replay --stats failed: $(cat "$T/stats")"
read -r npre nsnap mib < <(sed -nE 's/.* ([0-9]+) preemptions? .*\(.* ([0-9]+) snapshots?, ([0-9.]+) MiB restored\)/\1 \2 \3/p' "$T/stats")
[ -n "$npre" ] || fail "no placement line: $(cat "$T/stats")"
[ "$npre" -ge 2 ] || fail "$npre preemptions: the threads were not preempted ($(cat "$T/stats"))"
[ "$nsnap" -ge 2 ] || fail "$nsnap snapshots ($(cat "$T/stats"))"
per=$(awk -v m="$mib" -v n="$nsnap" 'BEGIN { printf "%d", m / n }')
[ "$per" -lt 40 ] || fail "$per MiB restored per preemption: the snapshots hold the heap, not what was written ($(cat "$T/stats"))"
dump_trace "$T/rr"
grep -Eq 'snapshot of [0-9]+ written pages' "$T/rr.dump" ||
	fail "no snapshot of written pages in the trace"

# A program with a userfaultfd of its own registers the mapping scribe
# was tracking: scribe lets go of it first.  (Replay answers userfaultfd
# calls without their memory effects, and both warn about it, each in
# its own words: stdout is compared.)
want_native=$("$B/uffd_user")
echo "$want_native" | grep -qx 'register: ok' || fail "natively: $want_native"
"$SCRIBE" record -q -o "$T/uffd" -- "$B/uffd_user" >"$T/uffd.rec" 2>"$T/uffd.rec.err" ||
	fail "record failed: $(cat "$T/uffd.rec.err")"
[ "$(cat "$T/uffd.rec")" = "$want_native" ] || fail "recorded, the program printed: $(cat "$T/uffd.rec")"
"$SCRIBE" replay "$T/uffd" >"$T/uffd.rep" 2>"$T/uffd.rep.err" </dev/null ||
	fail "replay failed: $(cat "$T/uffd.rep.err")"
cmp -s "$T/uffd.rec" "$T/uffd.rep" || fail "replay printed: $(cat "$T/uffd.rep")"
