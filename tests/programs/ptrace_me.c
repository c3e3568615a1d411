/* ptrace_me: tries PTRACE_ATTACH to a child it forked (once the child
 * has run: it says so through a pipe), then
 * PTRACE_TRACEME, and prints each result and errno.  Under scribe the
 * program is traced already and both must fail with EPERM; run natively
 * both succeed (TRACEME comes last, just before exiting, so the shell that
 * becomes the tracer never sees a stop). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	char c;
	if (read(fds[0], &c, 1) != 1) {
		perror("read");
		return 1;
	}
	errno = 0;
	long r = ptrace(PTRACE_ATTACH, child, NULL, NULL);
	int e = errno;
	printf("PTRACE_ATTACH child = %ld errno %d (%s)\n", r, e, e ? strerror(e) : "none");
	kill(child, SIGKILL);
	int st;
	while (waitpid(child, &st, 0) == child && !WIFSIGNALED(st) && !WIFEXITED(st))
		;
	printf("child killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	errno = 0;
	r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	e = errno;
	printf("PTRACE_TRACEME = %ld errno %d (%s)\n", r, e, e ? strerror(e) : "none");
	fflush(stdout);
	return 0;
}
