/* vfork_spawn: /bin/date +%N run five times through posix_spawn (clone with CLONE_VM|CLONE_VFORK) or through a raw vfork()+execve, its output read through a pipe. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *const date_argv[] = { "date", "+%N", NULL };

static pid_t start_spawn(int out)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	pid_t pid;
	int e = posix_spawn(&pid, "/bin/date", &fa, NULL, date_argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return e ? -1 : pid;
}

static pid_t start_vfork(int out)
{
	pid_t pid = vfork();
	if (pid == 0) {
		dup2(out, 1);
		execve("/bin/date", date_argv, environ);
		_exit(127);
	}
	return pid;
}

int main(int argc, char **argv)
{
	int use_vfork = argc > 1 && strcmp(argv[1], "vfork") == 0;
	if (argc < 2 || (!use_vfork && strcmp(argv[1], "spawn") != 0)) {
		fprintf(stderr, "usage: vfork_spawn spawn|vfork\n");
		return 2;
	}
	for (int i = 0; i < 5; i++) {
		int p[2];
		if (pipe(p))
			return 1;
		pid_t pid = use_vfork ? start_vfork(p[1]) : start_spawn(p[1]);
		close(p[1]);
		if (pid < 0) {
			fprintf(stderr, "could not start date\n");
			return 1;
		}
		char buf[64];
		size_t n = 0;
		ssize_t r;
		while (n < sizeof buf - 1 && (r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
			n += (size_t)r;
		buf[n] = 0;
		close(p[0]);
		int st;
		pid_t w = waitpid(pid, &st, 0);
		printf("%s %d: date printed %s", use_vfork ? "vfork" : "posix_spawn", i, buf);
		printf("%s %d: waitpid matched %d, exited with %d\n", use_vfork ? "vfork" : "posix_spawn",
		       i, w == pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	return 0;
}
