# Event descriptors under epoll: eventfd2 (counter, EFD_SEMAPHORE), a
# periodic timerfd (settime, gettime, expiration count), a signalfd4 for a
# blocked SIGUSR1 a child sends with sigqueue (ssi_pid, the value), a pidfd
# (pidfd_open, pidfd_send_signal, waitid(P_PIDFD)), watched with
# epoll_create1/epoll_ctl/epoll_wait/epoll_pwait/epoll_pwait2; close_range.
# Pids, times and the signal's random value differ between runs.  A
# kernel without pidfd_open (before 5.3) skips the pidfd part: the case
# checks the rest, then skips as unsupported; pidfd_open failing only
# under scribe fails.
. "$TOP/tests/lib.sh"
out=$T/rr.rec.out
nondet "$B/fd_events"
rr_check --status 0 --expect-out '^close_range 10-5: -1 EINVAL$' -- "$B/fd_events"
want '^epoll_create1: ok cloexec 1$'
want '^epoll_ctl ADD again: -1 EEXIST$'
want '^epoll_wait both ready: 2 ok \[tag 1 events 0x1\] \[tag 2 events 0x1\]$'
want '^eventfd read: 8 value 7$'
want '^eventfd read when zero: -1 EAGAIN$'
want '^semaphore read 1: 8 ok value 1$'
want '^semaphore read 2: -1 EAGAIN value 0$'
want '^epoll_wait none ready: 0 ok$'
want '^epoll_wait semaphore writable: 1 ok \[tag 2 events 0x4\]$'
want '^epoll_ctl DEL semaphore: 0, again: -1 ENOENT$'
want '^epoll_pwait2 for the timer: 1 ok \[tag 3 events 0x1\]$'
want '^timerfd_gettime: 0 ok interval 10 ms next in [0-9]+ us$'
want '^timerfd read: 8 expirations [0-9]+ \(at least 4: 1\) in [0-9]+ us$'
want '^timerfd disarmed: 0 old interval 10 ms$'
want '^epoll_pwait for the signal: 1 ok \[tag 4 events 0x1\]$'
child=$(sed -n 's/^child pid \([0-9]*\) sends value.*/\1/p' "$out")
want "^signalfd read: 128 signo 10 code SI_QUEUE pid $child value [0-9]+ \(from the child 1, same value 1\)$"
want '^signalfd read again: -1 EAGAIN$'
want '^signal child: waitpid 1 exit 0$'
pidfd_skip=
if grep -q '^pidfd_open: E' "$out"; then
	"$B/fd_events" >"$T/native.out" 2>&1
	grep -q '^pidfd_open: E' "$T/native.out" ||
		fail "pidfd_open failed under scribe only: $(grep '^pidfd_open: ' "$out")"
	pidfd_skip=$(grep '^pidfd_open: ' "$out")
else
	want '^epoll_wait while it lives: 0 ok$'
	want '^pidfd_send_signal SIGTERM: 0 ok$'
	want '^epoll_wait for its death: 1 ok \[tag 5 events 0x1\]$'
	want '^waitid P_PIDFD: 0 ok pid [0-9]+ \(the sleeper 1\) code CLD_KILLED status 15$'
	want '^pidfd_send_signal after reaping: -1 ESRCH$'
fi
want '^after: 100=EBADF 101=EBADF 102=cloexec 103=cloexec 104=open 105=open$'
want '^after: 100=EBADF 101=EBADF 102=EBADF 103=EBADF 104=EBADF 105=EBADF$'
no_strays "$B/fd_events"
[ -z "$pidfd_skip" ] || skip_unsupported "no pidfd on this kernel ($pidfd_skip)"
