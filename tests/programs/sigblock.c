/* sigblock: blocks in read|nanosleep|pause|poll|read-restart until a SIGUSR1 from outside;
 * writes "ready" to the file given as second argument first, then prints the blocked call's
 * result, errno and the handler's siginfo (si_code, si_pid). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static int restart;
static volatile sig_atomic_t got;
static volatile int code, spid;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	code = si->si_code;
	spid = si->si_pid;
	if (restart)
		write(fds[1], "X", 1);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sigblock read|nanosleep|pause|poll|read-restart READYFILE\n");
		return 2;
	}
	const char *mode = argv[1];
	restart = strcmp(mode, "read-restart") == 0;
	if (pipe(fds) != 0) {
		perror("pipe");
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | (restart ? SA_RESTART : 0);
	sigaction(SIGUSR1, &sa, NULL);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rf = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (rf < 0 || write(rf, "ready\n", 6) != 6) {
		perror("ready file");
		return 1;
	}
	close(rf);

	long r;
	char buf[16] = "";
	struct timespec rem = { 0, 0 };
	errno = 0;
	if (strcmp(mode, "read") == 0 || restart) {
		r = read(fds[0], buf, sizeof buf);
	} else if (strcmp(mode, "nanosleep") == 0) {
		struct timespec ts = { 10, 0 };
		r = nanosleep(&ts, &rem);
	} else if (strcmp(mode, "pause") == 0) {
		r = pause();
	} else if (strcmp(mode, "poll") == 0) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		r = poll(&p, 1, 10000);
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	int err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long us = ((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)) / 1000;
	printf("%s returned %ld errno %d (%s)\n", mode, r, err, err ? strerror(err) : "-");
	if (r > 0 && restart)
		printf("data '%.*s'\n", (int)r, buf);
	if (strcmp(mode, "nanosleep") == 0)
		printf("remaining %lld.%09ld (less than 10 s: %d)\n", (long long)rem.tv_sec,
		       rem.tv_nsec, rem.tv_sec < 10);
	printf("handler: signo %d si_code %d (SI_USER=%d) si_pid %d (not me: %d)\n", got, code,
	       SI_USER, spid, spid != getpid());
	printf("blocked for %lld us\n", us);
	return 0;
}
