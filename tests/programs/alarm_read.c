/* alarm_read: a read on an empty pipe is interrupted by alarm(1); without SA_RESTART it
 * fails with EINTR, with SA_RESTART (argument "restart") the handler writes a byte into
 * the pipe and the restarted read returns it.  Prints errno and the time elapsed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static int restart;
static volatile sig_atomic_t alarms;

static void handler(int sig)
{
	(void)sig;
	alarms++;
	if (restart)
		write(fds[1], "R", 1);
}

int main(int argc, char **argv)
{
	restart = argc > 1 && strcmp(argv[1], "restart") == 0;
	if (pipe(fds) != 0) {
		perror("pipe");
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(1);
	char buf[16];
	errno = 0;
	ssize_t n = read(fds[0], buf, sizeof buf);
	int err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	printf("mode %s read %zd errno %d (%s) alarms %d\n", restart ? "restart" : "eintr", n,
	       err, err ? strerror(err) : "-", alarms);
	if (n > 0)
		printf("data '%.*s'\n", (int)n, buf);
	printf("elapsed %lld ns, at least 0.9 s: %d\n", ns, ns >= 900000000LL);
	return 0;
}
