/* kill_mix N: N times, fork a child and SIGKILL it after 0 to 3.6 ms, so
 * that it dies at all kinds of moments: during its exec (of sh) or the
 * dynamic loader's start-up, while it creates threads, while two of its
 * threads compute without a syscall (one holds the memory domain, the
 * other waits for its turn), while its threads make calls, while it forks
 * grandchildren.  The killer's kill() is answered from the trace on
 * replay: the replayer itself must kill each child where the recording
 * says it died.  Prints how many children died of the signal, and how
 * long it all took (the count alone may repeat between runs).
 *
 * kill_mix -e N: every child execs /bin/true and is killed after 0 to 1
 * ms, so that many die in the middle of their exec or of the loader's
 * start-up, when the tracer is busy with them (mapping the scribe page
 * into the new image); prints how many were killed and how many exited,
 * and how long it took. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static void *calls(void *a)
{
	int fd = open("/dev/null", O_WRONLY);
	for (;;) {
		if (write(fd, "x", 1) < 0)
			break;
		syscall(SYS_getppid);
	}
	return a;
}

static void *spin(void *a)
{
	volatile unsigned long x = 0;
	for (;;)
		x++;
	return a;
}

enum { EXEC_TRUE = 5 };

static void child(int kind)
{
	pthread_t t;
	switch (kind) {
	case EXEC_TRUE:
		execl("/bin/true", "true", (char *)NULL);
		break;
	case 0:
		execl("/bin/sh", "sh", "-c", "true", (char *)NULL);
		break;
	case 1:
		for (int k = 0; k < 4; k++)
			pthread_create(&t, NULL, calls, NULL);
		calls(NULL);
		break;
	case 2:
		pthread_create(&t, NULL, spin, NULL);
		spin(NULL);
		break;
	case 3:
		for (;;) {
			pid_t g = fork();
			if (g == 0)
				_exit(0);
			waitpid(g, NULL, 0);
		}
	case 4:
		for (;;) {
			pthread_create(&t, NULL, calls, NULL);
			usleep(100);
		}
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	bool exec_true = argc > 1 && strcmp(argv[1], "-e") == 0;
	int n = argc > 1 + exec_true ? atoi(argv[1 + exec_true]) : 100, killed = 0, exited = 0;
	long long t0 = mono_us();
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c < 0)
			return 1;
		if (c == 0)
			child(exec_true ? EXEC_TRUE : i % 5);
		struct timespec ts = { 0, exec_true ? (i % 50) * 20000L : (i % 37) * 100000L };
		nanosleep(&ts, NULL);
		kill(c, SIGKILL);
		int st;
		if (waitpid(c, &st, 0) != c)
			return 1;
		killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		exited += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	if (exec_true)
		printf("killed %d, exited %d, of %d\n", killed, exited, n);
	else
		printf("%d of %d children died of SIGKILL\n", killed, n);
	printf("took %lld us\n", mono_us() - t0);
	return 0;
}
