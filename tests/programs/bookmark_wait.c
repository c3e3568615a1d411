/* bookmark_wait: a program that waits where a test bookmarks it from
 * another shell.  It prints the address of `stage` and "waiting", then
 * blocks reading a line from stdin (the test's pipe); with argument
 * "fork", a child forked first blocks too, reading a pipe from the
 * parent, so the recording has two domains waiting at the bookmark.
 * `stage` is 1 while it waits, 2 once it got its line. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stage;

static void say(const char *s)
{
	(void)!write(1, s, strlen(s));
}

int main(int argc, char **argv)
{
	int two = argc > 1 && !strcmp(argv[1], "fork");
	int p[2];
	char line[64];
	if (pipe(p) < 0)
		return 1;
	stage = 1;
	printf("stage %p\n", (void *)&stage);
	fflush(stdout);
	pid_t child = -1;
	if (two && (child = fork()) == 0) {
		close(p[1]);
		say("child waiting\n");
		ssize_t n = read(p[0], line, sizeof(line));
		stage = 2;
		say(n > 0 ? "child got it\n" : "child: no line\n");
		_exit(n > 0 ? 0 : 1);
	}
	say("waiting\n");
	ssize_t n = read(0, line, sizeof(line));
	stage = 2;
	if (n <= 0)
		return 2;
	say("got it\n");
	if (two) {
		(void)!write(p[1], "go\n", 3);
		int st;
		if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st))
			return 3;
	}
	say("done\n");
	return 0;
}
