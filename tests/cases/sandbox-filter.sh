# A program sandboxes itself with a seccomp filter of its own, as Chromium
# and Firefox do: it kills the process on syscall numbers it does not know
# (scribe's buffer protocol calls), on preadv2 (which the syscall buffer
# uses to read pipes without blocking) and on mmap with
# MAP_FIXED_NOREPLACE (replay's way to map where the recording did).
# Scribe puts the filter in behind a prefix that passes its own calls and
# turns the buffer off behind it; record and replay must both get through.
. "$TOP/tests/lib.sh"
nondet "$B/sandbox_filter"
rr_check --status 0 --expect-out '^sandboxed$' -- "$B/sandbox_filter"
want '^thread 0: sum [0-9a-f]{16}$' '^thread 1: sum ' '^thread 2: sum '
