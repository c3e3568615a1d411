# A thread asks cpuid and then changes memory its sibling reads once a
# pipe wakes it.  Replay answers cpuid's fault where the task stops, with
# no event: that stop must not be one where the domain may switch to the
# sibling (the recording never parks a task there), or the sibling reads
# the memory before the change and its sum differs.
. "$TOP/tests/lib.sh"
nondet "$B/cpuid_threads"
rr_check --status 0 -- "$B/cpuid_threads"
want '^sum [0-9a-f]{16}$'
