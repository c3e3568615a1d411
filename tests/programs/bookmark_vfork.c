/* bookmark_vfork: the child of a vfork blocks reading stdin (the test's
 * pipe) before it exits, so a bookmark taken then finds the parent still
 * inside vfork: the child's stream has events, the parent's vfork is not
 * logged yet (tests/programs/bookmark_wait.c is the simple case). */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *s)
{
	(void)!write(1, s, strlen(s));
}

int main(void)
{
	say("parent\n");
	pid_t c = vfork();
	if (c == 0) {
		char b[8];
		say("child waiting\n");
		ssize_t n = read(0, b, sizeof(b));
		_exit(n > 0 ? 0 : 1);
	}
	int st;
	if (c < 0 || waitpid(c, &st, 0) != c)
		return 2;
	say(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "child ok\n" : "child failed\n");
	return 0;
}
