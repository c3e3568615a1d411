# Process calls no other case makes (tests/programs/sys_procs.c): the
# sched_get* family and sched_getattr, setpriority raising the program's
# own nice value, capget, capset dropping CAP_NET_RAW in a forked child,
# setgroups/setresgid/setresuid to nobody and setfsuid in a forked child,
# chroot in a forked child, io_setup (scribe answers ENOSYS: libaio users
# fall back), getrusage and times of the children.  Pids, CPU times and a
# random number in the output.
. "$TOP/tests/lib.sh"
prog=$B/sys_procs
nondet "$prog" "$T"
rr_check --expect-out '^getrusage bad who: -1 EINVAL$' -- "$prog" "$T"
out=$T/rr.rec.out
want '^sched_getscheduler: 0$' '^sched_getparam: 0 priority 0$' \
	'^sched_get_priority_max FIFO: 99 RR: 99 OTHER: 0$' \
	'^sched_get_priority_min FIFO: 1 OTHER: 0 bad policy: -1 EINVAL$' \
	'^sched_rr_get_interval: 0 interval set yes$' \
	'^sched_getparam no such pid: -1 ESRCH$' \
	'^sched_getattr before: 0 size [0-9]+ policy 0 nice [0-9-]+ priority 0$' \
	'^getpriority after: [0-9-]+ \(raised: yes\)$' \
	'^setpriority bad which: -1 EINVAL$' \
	'^capget: 0 effective [0-9a-f]{16} permitted [0-9a-f]{16}$' \
	'^capget bad version, no data: 0 kernel wants 0x20080522$' \
	'^capget bad version: -1 EINVAL kernel wants 0x20080522$' \
	'^capset child exited 0$' '^nobody child exited 0$' '^chroot child exited 0$' \
	'^io_setup: -1 ENOSYS$' \
	'^getrusage children: 0 cpu .* \(some: yes\) maxrss>0 yes$' \
	'^times: elapsed [0-9]+ children user [0-9]+ system [0-9]+ ticks \(some: yes\)$'
# The nice value sched_getattr reports went up with setpriority.
b=$(sed -nE 's/^sched_getattr before: 0 size [0-9]+ policy 0 nice ([0-9-]+) .*/\1/p' "$out")
a=$(sed -nE 's/^sched_getattr after: 0 size [0-9]+ policy 0 nice ([0-9-]+) .*/\1/p' "$out")
[ -n "$b" ] && [ -n "$a" ] && { [ "$a" -gt "$b" ] || [ "$b" = 19 ]; } ||
	fail "sched_getattr's nice did not go up: before '$b' after '$a'"
eff=$(sed -nE 's/^capget: 0 effective ([0-9a-f]{16}) .*/\1/p' "$out")
if [ "$(id -u)" = 0 ] && [ $(( (0x$eff >> 13) & 1 )) = 1 ]; then
	# root with CAP_NET_RAW (bit 13): the child drops it, and setuid works
	want '^capset: 0 CAP_NET_RAW before 1 after 0$' '^capset regain: -1 EPERM$' \
		'^setgroups: 0$' '^getgroups: 1 first 65534$' '^setresgid: 0$' \
		'^setfsuid to nobody: previous 0$' '^setfsuid query: previous 65534$' \
		'^setresuid: 0$' '^getresuid: 0 65534 65534 65534$' \
		'^getresgid: 0 65534 65534 65534$' '^setfsgid query: previous 65534$' \
		'^setuid root again: -1 EPERM$' '^setgroups as nobody: -1 EPERM$' \
		'^chroot: 0$' '^chroot: / is the directory yes \(inode [0-9]+\)$' \
		"^chroot: /marker says 'token [0-9a-f]{8}', getcwd '/'$" \
		'^chroot: the old root is out of sight: -1 ENOENT$'
	tok=$(sed -n 's/^pid [0-9]* token //p' "$out")
	want "^chroot: /marker says 'token $tok'"
else
	echo "not root with CAP_NET_RAW: capset, setuid and chroot only checked to fail cleanly"
	want '^setresuid: -1 EPERM$' '^chroot: -1 EPERM$'
fi
[ -z "$(ls -A "$T" | grep '^root-')" ] || fail "the program left its chroot directory behind: $(ls "$T")"
no_strays "$prog"
