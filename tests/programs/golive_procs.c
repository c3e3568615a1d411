/* golive_procs.c -- a small multi-process program for go-live: three
 * rounds of two children, each writing five lines to a file of its own
 * (in the working directory) and exiting with its own status, which the
 * parent adds up with wait(); it prints the total and exits with it (21).
 * The parent waits for any child (pids change when going live). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void child(int round, int k)
{
	char name[64];
	snprintf(name, sizeof(name), "golive-%d-%d.out", round, k);
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(100);
	for (int i = 0; i < 5; i++) {
		struct timespec ts = { 0, 1000000 };
		dprintf(fd, "%d %d %d\n", round, k, i);
		nanosleep(&ts, NULL);
	}
	close(fd);
	_exit(round * 2 + k + 1);
}

int main(void)
{
	int total = 0;
	for (int round = 0; round < 3; round++) {
		for (int k = 0; k < 2; k++) {
			pid_t p = fork();
			if (p < 0)
				return 99;
			if (p == 0)
				child(round, k);
		}
		for (int k = 0; k < 2; k++) {
			int st;
			if (wait(&st) < 0 || !WIFEXITED(st))
				return 98;
			total += WEXITSTATUS(st);
		}
	}
	printf("total %d\n", total);
	return total;
}
