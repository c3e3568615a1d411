/* fork_kill: forks N children (default 50) that each pause forever, kills
 * every one with SIGKILL right after the fork, reaps it and prints how it
 * died, and how long it took; a child killed this early may never have
 * run at all. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	int killed = 0;
	long long t0 = mono_us();
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c < 0) {
			perror("fork");
			return 1;
		}
		if (c == 0) {
			for (;;)
				pause();
		}
		kill(c, SIGKILL);
		int st;
		if (waitpid(c, &st, 0) != c) {
			perror("waitpid");
			return 1;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
		else
			printf("child %d: status %#x\n", i, st);
	}
	printf("%d of %d children killed by SIGKILL\n", killed, n);
	printf("took %lld us\n", mono_us() - t0);
	return 0;
}
