# ld.so asks cpuid some forty times at start-up (glibc's CPU features,
# cache sizes) and keeps the answers, which a program reads through
# <sys/platform/x86.h>.  The loader stub answers those cpuids from the
# tracer's table (preload/ldstub.S ld_cpuid) instead of a trap each: the
# answers must be the tracer's, the ones a trapped cpuid in main gets
# (no RDRAND, APIC id 0), recorded on CPU 1 and replayed on CPU 0.
. "$TOP/tests/lib.sh"
grep -qw cpuid_fault /proc/cpuinfo || skip_unsupported "no CPUID faulting on this CPU"
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs to record on one and replay on another"
p=$B/cpuid_ldso
native=$(taskset -c 1 "$p") || fail "$p failed natively: $native"
grep -q 'APIC id 0, RDRAND 0' <<<"$native" &&
	skip "CPU 1 has APIC id 0 and no RDRAND: nothing for scribe to hide here"
tr=$T/rr
taskset -c 1 "$SCRIBE" record -q -o "$tr" -- "$p" >"$tr.rec.out" 2>"$tr.rec.err" ||
	{ cat "$tr.rec.out" "$tr.rec.err" >&2; fail "record of $p failed (ld.so's and main's cpuid differ?)"; }
want '^ld.so: APIC id 0, RDRAND 0$' '^leaf 1: .*: same$' '^leaf 7: .*: same$' '^leaf d.1: .*: same$'
taskset -c 0 "$SCRIBE" replay "$tr" >"$tr.rep.out" 2>"$tr.rep.err" ||
	{ cat "$tr.rep.err" >&2; fail "replay of $p on CPU 0 failed"; }
cmp -s "$tr.rec.out" "$tr.rep.out" ||
	fail "replayed on CPU 0: '$(cat "$tr.rep.out")', recorded '$(cat "$tr.rec.out")'"
