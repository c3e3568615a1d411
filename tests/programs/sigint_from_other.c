/* sigint_from_other: a sibling process sleeps 100 ms then sends SIGINT to a process spinning in a pure CPU loop; with a handler ("handler") the loop ends and prints its counter and si_pid, without one ("default") SIGINT kills it; the parent prints the target's pid and the wait status. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static volatile int spid, scode;
static volatile unsigned long counter;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	spid = si->si_pid;
	scode = si->si_code;
	stop = 1;
}

static void describe(const char *who, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited with %d\n", who, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by signal %d%s\n", who, WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
	else
		printf("%s: status 0x%x\n", who, st);
}

int main(int argc, char **argv)
{
	int with_handler = argc > 1 && strcmp(argv[1], "handler") == 0;
	if (argc < 2 || (!with_handler && strcmp(argv[1], "default") != 0)) {
		fprintf(stderr, "usage: sigint_from_other handler|default\n");
		return 2;
	}
	int p[2];
	if (pipe(p))
		return 1;
	fflush(stdout);
	/* the sender is forked first: it learns its target's pid through the pipe */
	pid_t sender = fork();
	if (sender < 0)
		return 1;
	if (sender == 0) {
		close(p[1]);
		pid_t target;
		if (read(p[0], &target, sizeof target) != (ssize_t)sizeof target)
			_exit(1);
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		_exit(kill(target, SIGINT) == 0 ? 0 : 2);
	}
	close(p[0]);
	/* SIGINT may be ignored when started in the background: set it either way */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (with_handler) {
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO;
	} else {
		sa.sa_handler = SIG_DFL;
	}
	sigaction(SIGINT, &sa, NULL);
	pid_t target = fork();
	if (target < 0)
		return 1;
	if (target == 0) {
		while (!stop)
			counter++;
		printf("target: counted %lu, SIGINT si_code %d (SI_USER=%d) from pid %d, the sibling %d\n",
		       counter, scode, SI_USER, spid, spid == sender);
		fflush(stdout);
		_exit(0);
	}
	if (write(p[1], &target, sizeof target) != (ssize_t)sizeof target)
		return 1;
	close(p[1]);
	int st;
	waitpid(target, &st, 0);
	printf("target: pid %d\n", (int)target);
	describe("target", st);
	waitpid(sender, &st, 0);
	describe("sender", st);
	return 0;
}
