/* clone_raw: clone(CLONE_VM|SIGCHLD) on a separate stack makes a process that shares memory without being a thread; both sides increment a shared counter without a lock; prints the total and the wait status. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ITERS 20000000
#define STACK (256 * 1024)

static volatile long counter;
static volatile int started;
static long child_seen;

static int child(void *arg)
{
	(void)arg;
	started = 1;
	for (int i = 0; i < ITERS; i++)
		counter++;
	child_seen = counter;
	return 7;
}

int main(void)
{
	char *stack = malloc(STACK);
	if (!stack)
		return 1;
	fflush(stdout);
	pid_t pid = clone(child, stack + STACK, CLONE_VM | SIGCHLD, NULL);
	if (pid < 0) {
		perror("clone");
		return 1;
	}
	while (!started)
		;
	for (int i = 0; i < ITERS; i++)
		counter++;
	long parent_seen = counter;
	int st;
	pid_t w = waitpid(pid, &st, 0);
	printf("final %ld (%s)\n", counter, counter == 2L * ITERS ? "no lost updates" : "lost updates");
	printf("parent saw %ld, child saw %ld\n", parent_seen, child_seen);
	printf("waitpid matched %d, exited with %d, child was a process %d\n", w == pid,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1, pid != getpid());
	free(stack);
	return 0;
}
