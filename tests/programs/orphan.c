/* orphan: a child forks a grandchild and exits at once; the orphaned grandchild waits to be reparented, then reports getppid() through a pipe inherited from the top process. */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int fd[2];
	if (pipe(fd)) {
		perror("pipe");
		return 1;
	}
	pid_t top = getpid();
	pid_t mid = fork();
	if (mid < 0)
		return 1;
	if (mid == 0) {
		pid_t me = getpid();
		pid_t g = fork();
		if (g < 0)
			_exit(1);
		if (g == 0) {
			close(fd[0]);
			int polls = 0;
			while (getppid() == me && polls < 5000) {
				struct timespec ts = { 0, 1000000 };
				nanosleep(&ts, NULL);
				polls++;
			}
			pid_t pp = getppid();
			char msg[200];
			int len = snprintf(msg, sizeof msg,
			                   "grandchild %d: parent was %d, now %d (top %d): reparented %d\n",
			                   (int)getpid(), (int)me, (int)pp, (int)top, pp != me);
			if (write(fd[1], msg, (size_t)len) != len)
				_exit(1);
			_exit(0);
		}
		_exit(7);
	}
	close(fd[1]);
	int st;
	pid_t w = waitpid(mid, &st, 0);
	printf("middle child %d: waitpid matched %d, exit status %d\n", (int)mid, w == mid,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	fflush(stdout);
	char buf[256];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof buf - 1 && (r = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
	printf("pipe: %s", buf);
	printf("no more children: %d\n", wait(NULL) == -1);
	return 0;
}
