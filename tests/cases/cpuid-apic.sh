# cpuid's answer depends on the CPU it runs on (leaf 1 ebx: the APIC id).
# Recorded on CPU 0 and replayed on CPU 1, the program must print what it
# printed when recorded: scribe traps cpuid (CPUID faulting) and answers
# it from the trace.  Before, replay ran cpuid and printed CPU 1's id (and
# a static Go program, whose registers at its first syscall still held
# leaf 1's ebx, diverged there).
. "$TOP/tests/lib.sh"
[ "$(nproc)" -ge 2 ] || fail "needs 2 CPUs to record on one and replay on another"
grep -qw cpuid_fault /proc/cpuinfo || fail "this CPU has no CPUID faulting: scribe cannot trap cpuid here"
p=$B/cpuid_apic
a=$(taskset -c 0 "$p") b=$(taskset -c 1 "$p")
[ "$a" != "$b" ] || fail "pinned to CPUs 0 and 1 the program prints the same: the test proves nothing"
tr=$T/rr
taskset -c 0 "$SCRIBE" record -q -o "$tr" -- "$p" >"$tr.rec.out" 2>"$tr.rec.err" ||
	{ cat "$tr.rec.err" >&2; fail "record failed"; }
[ "$(cat "$tr.rec.out")" = "$a" ] || fail "recorded on CPU 0 it printed '$(cat "$tr.rec.out")', natively '$a'"
taskset -c 1 "$SCRIBE" replay "$tr" >"$tr.rep.out" 2>"$tr.rep.err" ||
	{ cat "$tr.rep.err" >&2; fail "replay on CPU 1 failed"; }
cmp -s "$tr.rec.out" "$tr.rep.out" || fail "replayed on CPU 1 it printed '$(cat "$tr.rep.out")', recorded '$a'"
n=$("$SCRIBE" dump "$tr" | grep -c ' cpuid(0x1, ')
[ "$n" -ge 2 ] || fail "the trace has $n cpuid(1) events, not one per thread at least"
