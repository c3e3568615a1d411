/* execveat: one child runs execveat(AT_FDCWD, "/bin/echo", ...), another fexecve()s an fd opened on /usr/bin/env with a random variable in its environment; the parent prints both statuses. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void reap(const char *who, pid_t pid)
{
	int st;
	pid_t w = waitpid(pid, &st, 0);
	printf("%s: waitpid matched %d, exited with %d\n", who, w == pid,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	fflush(stdout);
}

int main(void)
{
	unsigned long long r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		return 1;
	char var[64];
	snprintf(var, sizeof var, "SCRIBE_RANDOM=%016llx", r);
	char *envp[] = { var, NULL };

	fflush(stdout);
	pid_t a = fork();
	if (a < 0)
		return 1;
	if (a == 0) {
		char *argv[] = { "echo", "echo run by execveat", NULL };
		syscall(SYS_execveat, AT_FDCWD, "/bin/echo", argv, envp, 0);
		perror("execveat");
		_exit(127);
	}
	reap("execveat", a);

	int fd = open("/usr/bin/env", O_RDONLY);
	if (fd < 0) {
		perror("/usr/bin/env");
		return 1;
	}
	pid_t b = fork();
	if (b < 0)
		return 1;
	if (b == 0) {
		char *argv[] = { "env", NULL };
		fexecve(fd, argv, envp);
		perror("fexecve");
		_exit(127);
	}
	close(fd);
	reap("fexecve", b);
	return 0;
}
