# A program asks cpuid whether the CPU has RDRAND and draws random numbers
# with it if so (an instruction no tracer can trap), else with getrandom().
# Scribe makes cpuid fault (CPUID faulting) and answers it without RDRAND,
# so the numbers come from getrandom() and replay prints them again.
. "$TOP/tests/lib.sh"
nondet "$B/cpuid_rdrand"
rr_check -- "$B/cpuid_rdrand"
want '^leaf 1: ' '^random [0-9a-f]{16}$'
