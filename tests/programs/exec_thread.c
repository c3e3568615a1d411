/* exec_thread: execve from a non-main thread: the main thread blocks in pause(), a third thread loops in nanosleep, and a second thread prints a timestamp and execs /bin/echo with an argument. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static atomic_long naps;

static void *sleeper(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 1000000 };
	for (;;) {
		nanosleep(&ts, NULL);
		atomic_fetch_add(&naps, 1);
	}
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 1000000 };
	while (atomic_load(&naps) < 5)
		nanosleep(&ts, NULL);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char stamp[64];
	snprintf(stamp, sizeof stamp, "%lld.%09ld", (long long)now.tv_sec, now.tv_nsec);
	long tid = syscall(SYS_gettid);
	printf("thread %s: exec from a thread that is not the leader: %d\n", stamp, tid != getpid());
	fflush(stdout);
	execl("/bin/echo", "echo", "echo after exec, stamp", stamp, (char *)NULL);
	perror("execl");
	_exit(127);
}

int main(void)
{
	pthread_t a, b;
	if (pthread_create(&b, NULL, sleeper, NULL) || pthread_create(&a, NULL, execer, NULL)) {
		fprintf(stderr, "pthread_create failed\n");
		return 1;
	}
	for (;;)
		pause();
}
