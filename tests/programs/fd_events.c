/* fd_events: descriptors that deliver events, watched with epoll.  An
 * eventfd as a counter and one with EFD_SEMAPHORE; a periodic timerfd
 * (timerfd_settime, timerfd_gettime, the expiration count read after it ran
 * a while); a signalfd for SIGUSR1, blocked, which a child sends with
 * sigqueue (the parent prints ssi_pid and the value); epoll_create1,
 * epoll_ctl (ADD, MOD, DEL, errors), epoll_wait, epoll_pwait and
 * epoll_pwait2 over them; pidfd_open, pidfd_send_signal to a child and
 * waitid(P_PIDFD); close_range, plain and CLOSE_RANGE_CLOEXEC.  Pids,
 * times, expiration counts and a random value differ from run to run. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

enum { TAG_EVENT = 1, TAG_SEM, TAG_TIMER, TAG_SIGNAL, TAG_PIDFD };

static const char *en(long r)
{
	return r < 0 ? strerrorname_np(errno) : "ok";
}

static long ms(const struct timespec *t)
{
	return t->tv_sec * 1000 + t->tv_nsec / 1000000;
}

static void show_events(const char *what, int n, const struct epoll_event *ev)
{
	printf("%s: %d %s", what, n, en(n));
	for (int i = 0; i < n; i++)
		printf(" [tag %" PRIu64 " events %#x]", ev[i].data.u64, ev[i].events);
	printf("\n");
}

static int watch(int ep, int op, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event e = { .events = events, .data.u64 = tag };
	return epoll_ctl(ep, op, fd, &e);
}

static void eventfds(int ep, int *efd, int *sem)
{
	*efd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
	*sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	printf("eventfd2: %s, semaphore: %s\n", en(*efd), en(*sem));
	int r = watch(ep, EPOLL_CTL_ADD, *efd, EPOLLIN, TAG_EVENT);
	printf("epoll_ctl ADD eventfd %d", r);
	printf(", semaphore %d\n", watch(ep, EPOLL_CTL_ADD, *sem, EPOLLIN, TAG_SEM));
	r = watch(ep, EPOLL_CTL_ADD, *efd, EPOLLIN, TAG_EVENT);
	printf("epoll_ctl ADD again: %d %s\n", r, en(r));
	struct epoll_event ev[8];
	show_events("epoll_wait both ready", epoll_wait(ep, ev, 8, 0), ev);
	uint64_t v = 4, got = 0;
	printf("eventfd write 4: %zd\n", write(*efd, &v, sizeof v));
	ssize_t n = read(*efd, &got, sizeof got);
	printf("eventfd read: %zd value %" PRIu64 "\n", n, got);
	n = read(*efd, &got, sizeof got);
	printf("eventfd read when zero: %zd %s\n", n, en(n));
	for (int i = 0; i < 3; i++) {
		got = 0;
		n = read(*sem, &got, sizeof got);
		printf("semaphore read %d: %zd %s value %" PRIu64 "\n", i, n, en(n), got);
	}
	show_events("epoll_wait none ready", epoll_wait(ep, ev, 8, 0), ev);
	r = watch(ep, EPOLL_CTL_MOD, *sem, EPOLLOUT, TAG_SEM);
	printf("epoll_ctl MOD semaphore to EPOLLOUT: %d %s\n", r, en(r));
	show_events("epoll_wait semaphore writable", epoll_wait(ep, ev, 8, 0), ev);
	r = watch(ep, EPOLL_CTL_DEL, *sem, 0, 0);
	int again = watch(ep, EPOLL_CTL_DEL, *sem, 0, 0);
	printf("epoll_ctl DEL semaphore: %d, again: %d %s\n", r, again, en(again));
}

static void timerfd(int ep)
{
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	printf("timerfd_create: %s\n", en(tfd));
	printf("epoll_ctl ADD timerfd: %d\n", watch(ep, EPOLL_CTL_ADD, tfd, EPOLLIN, TAG_TIMER));
	struct itimerspec its = { .it_interval = { 0, 10000000 }, .it_value = { 0, 10000000 } }, old;
	memset(&old, 0xff, sizeof old);
	int r = timerfd_settime(tfd, 0, &its, &old);
	printf("timerfd_settime 10 ms periodic: %d %s old %ld ms\n", r, en(r), ms(&old.it_value));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct epoll_event ev[8];
	struct timespec limit = { 5, 0 };
	show_events("epoll_pwait2 for the timer", epoll_pwait2(ep, ev, 8, &limit, NULL), ev);
	struct timespec nap = { 0, 45000000 };
	nanosleep(&nap, NULL);
	struct itimerspec cur;
	r = timerfd_gettime(tfd, &cur);
	printf("timerfd_gettime: %d %s interval %ld ms next in %ld us\n", r, en(r),
	       ms(&cur.it_interval), cur.it_value.tv_nsec / 1000);
	uint64_t count = 0;
	ssize_t n = read(tfd, &count, sizeof count);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("timerfd read: %zd expirations %" PRIu64 " (at least 4: %d) in %ld us\n", n, count,
	       count >= 4, (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
	memset(&its, 0, sizeof its);
	r = timerfd_settime(tfd, 0, &its, &old);
	printf("timerfd disarmed: %d old interval %ld ms\n", r, ms(&old.it_interval));
	r = timerfd_gettime(tfd, &cur);
	printf("timerfd_gettime disarmed: %d value %ld ns\n", r, cur.it_value.tv_nsec);
	close(tfd);
}

static void signalfd_child(int ep)
{
	sigset_t mask, waitmask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &waitmask);
	sigaddset(&waitmask, SIGUSR1);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	printf("signalfd4: %s", en(sfd));
	printf(", epoll_ctl ADD %d\n", watch(ep, EPOLL_CTL_ADD, sfd, EPOLLIN, TAG_SIGNAL));
	int value;
	if (getrandom(&value, sizeof value, 0) != sizeof value)
		return;
	value &= 0x7fffffff;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		_exit(sigqueue(getppid(), SIGUSR1, (union sigval){ .sival_int = value }) ? 1 : 0);
	printf("child pid %d sends value %d\n", (int)p, value);
	struct epoll_event ev[8];
	int n = 0;
	for (int i = 0; i < 10 && n == 0; i++)
		n = epoll_pwait(ep, ev, 8, 500, &waitmask);
	show_events("epoll_pwait for the signal", n, ev);
	struct signalfd_siginfo si;
	memset(&si, 0, sizeof si);
	ssize_t r = read(sfd, &si, sizeof si);
	printf("signalfd read: %zd signo %u code %s pid %u value %d (from the child %d, same value %d)\n",
	       r, si.ssi_signo, si.ssi_code == SI_QUEUE ? "SI_QUEUE" : "?", si.ssi_pid, si.ssi_int,
	       (pid_t)si.ssi_pid == p, si.ssi_int == value);
	r = read(sfd, &si, sizeof si);
	printf("signalfd read again: %zd %s\n", r, en(r));
	int st = 0;
	pid_t w = waitpid(p, &st, 0);
	printf("signal child: waitpid %d exit %d\n", w == p, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	watch(ep, EPOLL_CTL_DEL, sfd, 0, 0);
	close(sfd);
}

/* A child that tells the parent it is up, then waits to be killed. */
static pid_t sleeper(int *ready)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		return -1;
	if (p == 0) {
		close(pfd[0]);
		if (write(pfd[1], "up", 2) != 2)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	*ready = pfd[0];
	return p;
}

static void pidfd(int ep)
{
	int ready = -1;
	pid_t p = sleeper(&ready);
	if (p < 0)
		return;
	char buf[2];
	ssize_t n = read(ready, buf, 2);
	printf("sleeper pid %d says %zd '%.2s'\n", (int)p, n, buf);
	close(ready);
	int pfd = pidfd_open(p, 0);
	if (pfd < 0) {
		printf("pidfd_open: %s: killing with kill(2)\n", strerrorname_np(errno));
		kill(p, SIGTERM);
		waitpid(p, NULL, 0);
		return;
	}
	printf("pidfd_open: ok, epoll_ctl ADD %d\n", watch(ep, EPOLL_CTL_ADD, pfd, EPOLLIN, TAG_PIDFD));
	struct epoll_event ev[8];
	show_events("epoll_wait while it lives", epoll_wait(ep, ev, 8, 0), ev);
	int r = pidfd_send_signal(pfd, SIGTERM, NULL, 0);
	printf("pidfd_send_signal SIGTERM: %d %s\n", r, en(r));
	show_events("epoll_wait for its death", epoll_wait(ep, ev, 8, 5000), ev);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	r = waitid(P_PIDFD, pfd, &si, WEXITED);
	printf("waitid P_PIDFD: %d %s pid %d (the sleeper %d) code %s status %d\n", r, en(r),
	       (int)si.si_pid, si.si_pid == p, si.si_code == CLD_KILLED ? "CLD_KILLED" : "?",
	       si.si_status);
	r = pidfd_send_signal(pfd, SIGTERM, NULL, 0);
	printf("pidfd_send_signal after reaping: %d %s\n", r, en(r));
	close(pfd);
}

static void fd_state(const char *what, int lo, int hi)
{
	printf("%s:", what);
	for (int fd = lo; fd <= hi; fd++) {
		int f = fcntl(fd, F_GETFD);
		printf(" %d=%s", fd, f < 0 ? strerrorname_np(errno) : f & FD_CLOEXEC ? "cloexec" : "open");
	}
	printf("\n");
}

static void close_ranges(int efd)
{
	for (int fd = 100; fd <= 105; fd++)
		if (dup2(efd, fd) != fd)
			printf("dup2 %d: %s\n", fd, strerrorname_np(errno));
	fd_state("before close_range", 100, 105);
	int r = close_range(100, 101, 0);
	printf("close_range 100-101: %d %s\n", r, en(r));
	r = close_range(102, 103, CLOSE_RANGE_CLOEXEC);
	printf("close_range 102-103 CLOSE_RANGE_CLOEXEC: %d %s\n", r, en(r));
	fd_state("after", 100, 105);
	r = close_range(102, ~0U, 0);
	printf("close_range 102-max: %d %s\n", r, en(r));
	fd_state("after", 100, 105);
	r = close_range(10, 5, 0);
	printf("close_range 10-5: %d %s\n", r, en(r));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	printf("epoll_create1: %s cloexec %d\n", en(ep), fcntl(ep, F_GETFD) == FD_CLOEXEC);
	if (ep < 0)
		return 1;
	int efd, sem;
	eventfds(ep, &efd, &sem);
	timerfd(ep);
	signalfd_child(ep);
	pidfd(ep);
	close_ranges(efd);
	close(efd);
	close(sem);
	close(ep);
	return 0;
}
