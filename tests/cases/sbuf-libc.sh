# Calls glibc makes itself reach the syscall buffer through the patched
# libc (src/preload/patch.c): realpath's readlinks, readdir's getdents64,
# stdio's opens and reads, sigaction/sigprocmask, brk, a futex wake-up,
# getcwd, getrlimit, sysinfo, isatty, getrandom, an anonymous map, and
# execvp's tries of PATH directories that do not hold the program.
# Replay must print the same inodes, times and signal order; the trace
# must hold those calls as buffered records, not as traced events.
. "$TOP/tests/lib.sh"
needs_buffer
nondet "$B/sbuf_libc"
rr_check --status 0 --expect-out '^realpath 500 of 500: ok$' -- "$B/sbuf_libc"
grep -q '^signal pending while blocked 0, taken after unblock 10$' "$T/rr.rec.out" ||
	fail "signals: $(grep signal "$T/rr.rec.out")"
dump_trace "$T/rr"
dump=$(cat "$T/rr.dump")
want '^cwd ok, stack limit ok, uptime>0 1, stdin a tty 0, random [0-9a-f]{8}, big 0x' \
	'^execvp of true: status 0$'
for call in readlinkat getdents64 rt_sigaction rt_sigprocmask brk getcwd prlimit64 sysinfo \
	ioctl getrandom mmap; do
	grep -Eq "^ +$call\(" <<<"$dump" || fail "no buffered $call in the trace"
done
grep -Eq '^ +newfstatat\("/nonexistent/b/true"\) = -1 ENOENT' <<<"$dump" ||
	fail "execvp's miss in /nonexistent/b was not answered from a buffered stat"
! grep -Eq '^ +[0-9]+ \[[0-9]+\] execve\("/nonexistent' <<<"$dump" ||
	fail "execvp's misses were traced execve calls"
n=$(grep -Ec '^ +[0-9]+ \[[0-9]+\] readlink(at)?\(' <<<"$dump")
[ "$n" -lt 10 ] || fail "$n readlinks were traced: realpath's calls were not buffered"
