/* sbuf_mix.c -- exercise the syscall buffer (src/preload/): calls it makes
 * in-process (writes to /dev/null and a file, lseek, pread, fstat, clock
 * and identity calls, reads from a pipe that has data, a non-blocking
 * socket's EAGAIN, poll and epoll_wait that find something ready) mixed
 * with calls it must leave traced (a pipe read that has to wait, output to
 * stdout), from two threads taking turns on a mutex, while a 1 ms
 * interval timer interrupts them, with a fork child doing the same.
 * Prints times, pids and where the signals landed: different on every
 * run, identical on replay. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 20000

static volatile sig_atomic_t ticks;
static volatile long where[64];
static volatile long progress;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char order[64];
static int norder;

static void on_alarm(int sig)
{
	(void)sig;
	if (ticks < 64)
		where[ticks] = progress;
	ticks++;
}

/* Buffered calls in a loop; returns a mix of the times it saw. */
static uint64_t churn(int devnull, int rounds, char who)
{
	uint64_t mix = 0;
	struct timespec ts;
	for (int i = 0; i < rounds; i++) {
		if (write(devnull, "0123456789abcdef", 16) != 16)
			abort();
		clock_gettime(CLOCK_MONOTONIC, &ts);
		mix = mix * 31 + (uint64_t)ts.tv_nsec + (uint64_t)getpid();
		progress++;
		if (i % 2000 == 0) {
			pthread_mutex_lock(&mu);
			if (norder < (int)sizeof(order) - 1)
				order[norder++] = who;
			pthread_mutex_unlock(&mu);
		}
	}
	return mix;
}

static void *thread_main(void *arg)
{
	uint64_t *mix = arg;
	int fd = open("/dev/null", O_WRONLY);
	*mix = churn(fd, ROUNDS, 'b');
	close(fd);
	return NULL;
}

static void files(void)
{
	char path[] = "/tmp/sbuf-mix-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	unlink(path);
	char buf[64];
	snprintf(buf, sizeof(buf), "pid %d time %ld\n", getpid(), (long)time(NULL));
	ssize_t w = write(fd, buf, strlen(buf));
	off_t end = lseek(fd, 0, SEEK_CUR);
	char back[64] = {0};
	ssize_t r = pread(fd, back, sizeof(back) - 1, 0);
	struct stat st;
	fstat(fd, &st);
	printf("file: wrote %zd, at %lld, read back %zd equal %d, size %lld inode %llu\n", w,
	       (long long)end, r, r == w && !memcmp(buf, back, (size_t)r), (long long)st.st_size,
	       (unsigned long long)st.st_ino);
	close(fd);
}

static void pipes_and_sockets(void)
{
	int p[2], s[2];
	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s))
		exit(1);
	char c[16];
	/* Data already there: buffered.  Then the child writes later: the
	 * read has to wait, traced. */
	write(p[1], "x", 1);
	ssize_t r1 = read(p[0], c, sizeof(c));
	pid_t kid = fork();
	if (kid == 0) {
		struct timespec d = { 0, 20 * 1000 * 1000 };
		nanosleep(&d, NULL);
		int fd = open("/dev/null", O_WRONLY);
		uint64_t m = churn(fd, 3000, 'c');
		char line[64];
		int n = snprintf(line, sizeof(line), "%d %llx", getpid(), (unsigned long long)m);
		write(p[1], line, (size_t)n);
		_exit(0);
	}
	char line[64] = {0};
	ssize_t r2 = read(p[0], line, sizeof(line) - 1);
	int status;
	waitpid(kid, &status, 0);
	ssize_t r3 = recv(s[0], c, sizeof(c), 0);
	int e3 = errno;
	send(s[1], "hello", 5, 0);
	struct pollfd pf = { s[0], POLLIN, 0 };
	int pr = poll(&pf, 1, 1000);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, got[2];
	epoll_ctl(ep, EPOLL_CTL_ADD, s[0], &ev);
	int er = epoll_wait(ep, got, 2, 1000);
	ssize_t r4 = recvfrom(s[0], c, sizeof(c), 0, NULL, NULL);
	printf("pipe: %zd then %zd from child '%s' (exit %d)\n", r1, r2, line,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("socket: %zd %s, poll %d revents %#x, epoll %d data %u, recv %zd '%.*s'\n", r3,
	       e3 == EAGAIN ? "EAGAIN" : "?", pr, pf.revents, er, er > 0 ? got[0].data.u32 : 0, r4,
	       (int)(r4 > 0 ? r4 : 0), c);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);

	files();
	pipes_and_sockets();

	uint64_t mix_b = 0;
	pthread_t th;
	pthread_create(&th, NULL, thread_main, &mix_b);
	int fd = open("/dev/null", O_WRONLY);
	uint64_t mix_a = churn(fd, ROUNDS, 'a');
	pthread_join(th, NULL);

	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	printf("pid %d ppid %d uid %d time %ld.%06ld\n", getpid(), getppid(), getuid(),
	       (long)tv.tv_sec, (long)tv.tv_usec);
	printf("mix a %016llx b %016llx order %s\n", (unsigned long long)mix_a,
	       (unsigned long long)mix_b, order);
	printf("signals %d at", (int)ticks);
	for (int i = 0; i < ticks && i < 8; i++)
		printf(" %ld", where[i]);
	printf("\n");
	return 0;
}
