# cpuid's answer depends on the CPU it runs on (leaf 1 ebx: the APIC id).
# Scribe traps cpuid (CPUID faulting) and answers it with the APIC ids
# zeroed (core/cpu.h cpu_cpuid_seen), from a program's very first
# instruction: faulting is armed at each exec stop.  Recorded on CPU 1 and
# replayed on CPU 0, a program prints APIC 0 both times.  cpuid_static
# asks cpuid before any syscall, as a static Go program does (armed at
# the first syscall, that cpuid ran: CPU 1's id, and replay on CPU 0
# diverged at the first syscall).
. "$TOP/tests/lib.sh"
[ "$(nproc)" -ge 2 ] || fail "needs 2 CPUs to record on one and replay on another"
grep -qw cpuid_fault /proc/cpuinfo || fail "this CPU has no CPUID faulting: scribe cannot trap cpuid here"
for p in "$B/cpuid_static" "$B/cpuid_apic"; do
	a=$(taskset -c 0 "$p") b=$(taskset -c 1 "$p")
	[ "$a" != "$b" ] || fail "$p pinned to CPUs 0 and 1 prints the same: the test proves nothing"
	tr=$T/rr.${p##*/}
	taskset -c 1 "$SCRIBE" record -q -o "$tr" -- "$p" >"$tr.rec.out" 2>"$tr.rec.err" ||
		{ cat "$tr.rec.err" >&2; fail "record of $p failed"; }
	[ "$(cat "$tr.rec.out")" = "$a" ] ||
		fail "$p recorded on CPU 1 printed '$(cat "$tr.rec.out")', not CPU 0's '$a' (APIC ids zeroed)"
	taskset -c 0 "$SCRIBE" replay "$tr" >"$tr.rep.out" 2>"$tr.rep.err" ||
		{ cat "$tr.rep.err" >&2; fail "replay of $p on CPU 0 failed"; }
	cmp -s "$tr.rec.out" "$tr.rep.out" ||
		fail "$p replayed on CPU 0 printed '$(cat "$tr.rep.out")', recorded '$(cat "$tr.rec.out")'"
done
