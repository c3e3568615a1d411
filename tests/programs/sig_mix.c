/* sig_mix N: N times, fork a child (a loop of calls, two threads computing
 * without a syscall, threads waiting in pause(), a computing loop with a
 * SIGUSR1 handler, a fork loop) and send it signals at 0 to 1.8 ms
 * intervals: SIGUSR1 four times (handled), SIGSTOP, SIGCONT, then SIGTERM
 * or SIGINT, which kill it.  Prints how many died of a signal, and how
 * long it took.  The
 * signals land anywhere: in user code, in calls the preload library makes
 * without a stop, while pthread_create has every signal blocked. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
static volatile sig_atomic_t got;
static void on_usr1(int s) { (void)s; got++; }
static void *calls(void *a) { int fd = open("/dev/null", O_WRONLY); for (;;) { if (write(fd, "x", 1) < 0) break; syscall(SYS_getppid); } return a; }
static void *spin(void *a) { volatile unsigned long x = 0; for (;;) x++; return a; }
static void child(int kind)
{
	struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = on_usr1; sigaction(SIGUSR1, &sa, NULL);
	pthread_t t;
	switch (kind) {
	case 0: for (;;) { calls(NULL); }
	case 1: pthread_create(&t, NULL, spin, NULL); spin(NULL); break;
	case 2: for (int k = 0; k < 3; k++) pthread_create(&t, NULL, calls, NULL); for (;;) pause();
	case 3: { volatile unsigned long x = 0; for (;;) { x++; if (got > 100) break; } } break;
	case 4: for (;;) { pid_t g = fork(); if (g == 0) _exit(0); waitpid(g, NULL, 0); }
	}
	_exit(0);
}
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50, termed = 0;
	long long t0 = mono_us();
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0) child(i % 5);
		struct timespec ts = { 0, (i % 13) * 150000L };
		for (int k = 0; k < 4; k++) { nanosleep(&ts, NULL); kill(c, SIGUSR1); }
		kill(c, SIGSTOP); nanosleep(&ts, NULL); kill(c, SIGCONT); nanosleep(&ts, NULL);
		kill(c, (i % 2) ? SIGTERM : SIGINT);
		int st; waitpid(c, &st, 0);
		termed += WIFSIGNALED(st);
	}
	printf("%d of %d children died of a signal\n", termed, n);
	printf("took %lld us\n", mono_us() - t0);
	return 0;
}
