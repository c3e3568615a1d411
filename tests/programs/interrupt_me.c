/* interrupt_me MODE [TAG]: ignores SIGTERM, SIGINT and SIGHUP, prints
 * "ready", then never ends by itself, in the state MODE names, so that
 * only scribe can end its recording:
 *   busy     computes in user code, without a syscall
 *   sleep    blocks in nanosleep
 *   stop     stops itself (SIGSTOP): a group-stop nobody ends
 *   threads  16 threads, each blocked in a read of a pipe
 *   exec     execs itself again and again (the signal finds it in an exec
 *            or between two)
 * TAG is ignored: tests pass a unique one to find the process with ps. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void *reader(void *arg)
{
	char c;
	(void)arg;
	while (read(fds[0], &c, 1) < 0)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "busy";
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (!strcmp(mode, "exec")) {
		int n = argc > 3 ? atoi(argv[3]) : 0;
		if (n == 0) {
			printf("ready\n");
			fflush(stdout);
		}
		char num[16];
		snprintf(num, sizeof(num), "%d", n + 1);
		execl("/proc/self/exe", argv[0], "exec", argc > 2 ? argv[2] : "-", num, (char *)NULL);
		perror("exec");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	if (!strcmp(mode, "busy")) {
		for (volatile unsigned long k = 0;; k++)
			;
	} else if (!strcmp(mode, "sleep")) {
		struct timespec ts = { 1000, 0 };
		for (;;)
			nanosleep(&ts, NULL);
	} else if (!strcmp(mode, "stop")) {
		for (;;)
			kill(getpid(), SIGSTOP);
	} else if (!strcmp(mode, "threads")) {
		if (pipe(fds) < 0)
			return 1;
		pthread_t t;
		for (int i = 0; i < 16; i++)
			pthread_create(&t, NULL, reader, NULL);
		reader(NULL);
	}
	return 1;
}
