/* sig_inherit.c -- print the signal state the program started with (is
 * SIGINT, SIGQUIT, SIGPIPE ignored? is SIGUSR1, SIGTERM blocked?), as the
 * kernel reports it now, then send itself SIGINT: killed by it unless it
 * was ignored.  The state is inherited from whoever started the program
 * (a shell ignores SIGINT and SIGQUIT in its background jobs), so a
 * replay must start it the way it was recorded, not the way `scribe
 * replay` itself was started. */
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A raw call, which the syscall buffer does not answer: the tracer runs
 * it again on replay, so what it prints is the kernel's state there. */
static const char *disp(int sig)
{
	struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } ka;
	if (syscall(SYS_rt_sigaction, sig, NULL, &ka, 8) < 0)
		return "?";
	return ka.handler == (void *)SIG_IGN ? "ign" : ka.handler == (void *)SIG_DFL ? "dfl" : "handled";
}

int main(void)
{
	sigset_t set;
	sigprocmask(SIG_BLOCK, NULL, &set);
	printf("INT %s QUIT %s PIPE %s USR1 %s TERM %s\n", disp(SIGINT), disp(SIGQUIT),
	       disp(SIGPIPE), sigismember(&set, SIGUSR1) ? "blocked" : "open",
	       sigismember(&set, SIGTERM) ? "blocked" : "open");
	fflush(stdout);
	kill(getpid(), SIGINT);
	printf("survived SIGINT\n");
	return 0;
}
