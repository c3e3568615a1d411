# The loader stub (src/preload/ldstub.h): ld.so's openat, read, pread64,
# newfstatat, close, access, mmap (of files too), mprotect, munmap and
# rdtsc are buffered from the first system call after each exec, before
# the preload library exists, and replay answers them from the same
# records (maps and mprotects are made again).  A process without the library keeps the
# stub for its whole life: its dlopen()s from the main thread are
# buffered, those from other threads and from a forked child are traced.
# Replay must print the same pids, time and random number; the stub must
# have buffered the loading of libc; and it must save events.
. "$TOP/tests/lib.sh"
needs_buffer
nondet "$B/ld_stub" outer
rr_check --status 0 \
	--expect-out '^child exited 0$' -- "$B/ld_stub" outer
want '^pid [0-9]+, .* LD_PRELOAD unset$' '^thread 1: libm.so.6 loaded found$' \
	'^thread 2: libresolv.so.2 loaded found$' '^child: librt.so.1 loaded found$'
dump_trace "$T/rr"
dump=$(cat "$T/rr.dump")
# The outer process: libc opened by the stub, before the library's slot.
grep -q '^ *openat("/lib/x86_64-linux-gnu/libc.so.6") = [0-9]' <<<"$dump" ||
	fail "ld.so's open of libc was not buffered: $(head -40 <<<"$dump")"
# ... and its maps of libc's segments and zero-filled tail, its
# read-only relocations and its timing rdtscs.
grep -Eq '^ *mmap\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x5, 0x812, 0x3, 0x[0-9a-f]+\) = [0-9]+ \[file [0-9a-f]{16}\]$' <<<"$dump" ||
	fail "ld.so's map of a library's code was not buffered"
grep -Eq '^ *mmap\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x3, 0x32, 0xffffffff, 0\) = [0-9]+$' <<<"$dump" ||
	fail "ld.so's anonymous MAP_FIXED map was not buffered"
grep -Eq '^ *mprotect\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x1\) = 0$' <<<"$dump" ||
	fail "ld.so's mprotect was not buffered"
grep -Eq '^ *rdtsc = 0x[0-9a-f]+ \(loader\)$' <<<"$dump" ||
	fail "ld.so's rdtsc was not answered by the stub"
# The inner one: libutil from the main thread is buffered (twice), librt
# from the forked child is not (a traced openat event).
[ "$(grep -c '^ *openat(".*libutil.so.1") = [0-9]' <<<"$dump")" -ge 1 ] ||
	fail "the main thread's dlopen was not buffered by the stub"
grep -Eq '^ *[0-9]+ \[[0-9]+\] openat\(AT_FDCWD, ".*librt.so.1"' <<<"$dump" ||
	fail "the forked child's dlopen was not traced"
# Fewer events than without the stub.
with=$("$SCRIBE" info --events "$T/rr")
SCRIBE_NO_LDSTUB=1 "$SCRIBE" record -o "$T/nostub" -- "$B/ld_stub" outer >/dev/null 2>&1 ||
	fail "recording without the stub failed"
without=$("$SCRIBE" info --events "$T/nostub")
[ "$with" -lt "$without" ] || fail "$with events with the stub, $without without"
"$SCRIBE" replay "$T/nostub" >/dev/null 2>&1 || fail "the recording without the stub did not replay"
