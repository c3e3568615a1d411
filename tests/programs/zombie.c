/* zombie: a child exits at once; the parent sleeps, sees state 'Z' in /proc/PID/stat, then reaps it and prints the status. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char state_of(pid_t pid, char *comm, size_t commlen)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	char *l = strchr(buf, '('), *r = strrchr(buf, ')');
	if (!l || !r || r[1] != ' ')
		return '?';
	snprintf(comm, commlen, "%.*s", (int)(r - l - 1), l + 1);
	return r[2];
}

int main(void)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0)
		_exit(5);
	struct timespec ts = { 0, 200000000 };
	nanosleep(&ts, NULL);
	char comm[64] = "";
	char s = state_of(p, comm, sizeof comm);
	printf("child %d (%s) state %c\n", (int)p, comm, s);
	int st;
	pid_t w = waitpid(p, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("reaped: matched %d exited %d status %d\n", w == p, WIFEXITED(st), WEXITSTATUS(st));
	char after = state_of(p, comm, sizeof comm);
	printf("after reaping: %s\n", after == '?' ? "gone" : "still there");
	printf("elapsed %lld ns\n",
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
