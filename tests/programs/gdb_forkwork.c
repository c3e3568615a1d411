/* gdb_forkwork: a parent and its forked child each call work(role) three
 * times (role 0: the parent, 1: the child), then raise SIGUSR1 twice
 * (handled), then finish(): scribe debug's `monitor switch` (to the
 * child at a stop of the parent: the child's bookmark "child" is one)
 * and reverse-continue to signals. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int total, handled;

__attribute__((noinline)) static void work(int role, int round)
{
	total += role * 10 + round;
}

__attribute__((noinline)) static void finish(int role)
{
	printf("%s total %d handled %d\n", role ? "child" : "parent", total, handled);
	fflush(stdout);
}

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void run(int role)
{
	for (int i = 1; i <= 3; i++)
		work(role, i);
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	finish(role);
}

int main(void)
{
	int go[2];
	char c = 0;
	fflush(stdout);
	if (pipe(go) < 0)
		return 1;
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		/* the bookmark after the parent's write, so after its fork
		 * returned and was logged: a bookmark is a cut across the
		 * streams logged so far, and then it has the child's */
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		access("/dev/scribe/bookmark/child", F_OK);   /* fails: ENOENT */
		usleep(20000);       /* the parent's work first, usually */
		run(1);
		_exit(0);
	}
	if (write(go[1], &c, 1) != 1)
		return 1;
	run(0);
	int st;
	waitpid(p, &st, 0);
	return 0;
}
