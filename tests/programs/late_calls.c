/* late_calls.c -- calls the recorder collects at the next stop
 * (record_late.c), made raw, as fast as possible, while a 300 us interval
 * timer interrupts them: many signals arrive just as such a call returns,
 * on the scribe page's two instructions.  The handler makes late calls of
 * its own.  Prints the rounds run, the signals taken and a checksum of
 * every result (fds, addresses, the break): different every run natively,
 * the same on replay.
 *
 *   late_calls     runs for about 0.3 s */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;
static volatile unsigned long in_handler;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
	long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	in_handler = in_handler * 31 + (unsigned long)fd + (unsigned long)syscall(SYS_close, fd);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 300 }, { 0, 300 } };
	setitimer(ITIMER_REAL, &it, NULL);
	char *page = (char *)syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
	                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long sum = 0, rounds = 0;
	for (;;) {
		long fd = syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
		sum = sum * 31 + (unsigned long)fd;
		sum = sum * 31 + (unsigned long)syscall(SYS_access, "/nonexistent", F_OK);
		sum = sum * 31 + (unsigned long)syscall(SYS_mprotect, page, 4096,
		                                         rounds & 1 ? PROT_READ : PROT_READ | PROT_WRITE);
		long m = syscall(SYS_mmap, 0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
		sum = sum * 31 + (unsigned long)m;
		if (m > 0)
			sum = sum * 31 + (unsigned long)syscall(SYS_munmap, m, 8192);
		sum = sum * 31 + (unsigned long)syscall(SYS_close, fd);
		sum = sum * 31 + (unsigned long)syscall(SYS_brk, 0);
		rounds++;
		if ((rounds & 7) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec > 300000000L)
				break;
		}
	}
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	printf("rounds %lu, signals %d, checksum %lx %lx\n", rounds, (int)ticks, sum, in_handler);
	return 0;
}
