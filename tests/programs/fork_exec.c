/* fork_exec: a fork + pipe + exec + wait chain: one child execs /bin/date +%s%N into a pipe, a second execs /bin/sh reading that line from another pipe and exiting 3; the parent prints what came back and both statuses. */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void describe(const char *who, pid_t want, pid_t got, int st)
{
	if (WIFEXITED(st))
		printf("%s: waitpid matched %d, exited with %d\n", who, got == want, WEXITSTATUS(st));
	else
		printf("%s: waitpid matched %d, status 0x%x\n", who, got == want, st);
}

int main(void)
{
	int a[2], b[2], c[2];
	if (pipe(a) || pipe(b) || pipe(c)) {
		perror("pipe");
		return 1;
	}
	/* child 1: date writes the time into pipe a */
	pid_t p1 = fork();
	if (p1 < 0)
		return 1;
	if (p1 == 0) {
		dup2(a[1], 1);
		close(a[0]); close(a[1]);
		execl("/bin/date", "date", "+%s%N", (char *)NULL);
		_exit(127);
	}
	close(a[1]);
	char line[128];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof line - 1 && (r = read(a[0], line + n, sizeof line - 1 - n)) > 0)
		n += (size_t)r;
	line[n] = 0;
	int st;
	pid_t w = waitpid(p1, &st, 0);
	printf("date printed: %s", line);
	describe("date", p1, w, st);

	/* child 2: sh reads the line from pipe b, answers on pipe c, exits 3 */
	pid_t p2 = fork();
	if (p2 < 0)
		return 1;
	if (p2 == 0) {
		dup2(b[0], 0);
		dup2(c[1], 1);
		close(b[0]); close(b[1]); close(c[0]); close(c[1]);
		execl("/bin/sh", "sh", "-c", "read x; echo \"sh $$ read $x\"; exit 3", (char *)NULL);
		_exit(127);
	}
	close(b[0]);
	close(c[1]);
	if (write(b[1], line, n) != (ssize_t)n)
		return 1;
	close(b[1]);
	char ans[256];
	n = 0;
	while (n < sizeof ans - 1 && (r = read(c[0], ans + n, sizeof ans - 1 - n)) > 0)
		n += (size_t)r;
	ans[n] = 0;
	w = waitpid(p2, &st, 0);
	printf("sh answered: %s", ans);
	describe("sh", p2, w, st);
	printf("children %d %d\n", (int)p1, (int)p2);
	return 0;
}
