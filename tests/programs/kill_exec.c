/* kill_exec N: N times, fork a child that execs /bin/true and SIGKILL it
 * after 0 to 1 ms, so that some die in the middle of their exec or of the
 * dynamic loader's start-up, when the tracer is busy with them (mapping
 * the scribe page into the new image).  Prints how many of the N were
 * killed and how many exited: that depends on timing, and replay must
 * print what the recording printed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, killed = 0, exited = 0;
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c < 0)
			return 1;
		if (c == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		struct timespec ts = { 0, (i % 50) * 20000L };
		nanosleep(&ts, NULL);
		kill(c, SIGKILL);
		int st;
		if (waitpid(c, &st, 0) != c)
			return 1;
		killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		exited += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	printf("killed %d, exited %d, of %d\n", killed, exited, n);
	return killed + exited == n ? 0 : 1;
}
