/* exit_group_thread: exit(3) from a thread while others are blocked in read() on a pipe, in pthread_cond_wait, and computing; the exiting thread prints a time value first. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static atomic_int ready;
static volatile unsigned long spins;

static void *reader(void *arg)
{
	(void)arg;
	char c;
	atomic_fetch_add(&ready, 1);
	ssize_t r = read(fds[0], &c, 1); /* nobody ever writes */
	printf("reader: read returned %zd\n", r);
	return NULL;
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	atomic_fetch_add(&ready, 1);
	for (;;)
		pthread_cond_wait(&cv, &mu); /* never signalled */
	return NULL;
}

static void *computer(void *arg)
{
	(void)arg;
	atomic_fetch_add(&ready, 1);
	for (;;)
		spins++;
	return NULL;
}

static void *exiter(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 1000000 };
	while (atomic_load(&ready) < 3)
		nanosleep(&ts, NULL);
	ts.tv_nsec = 50000000; /* let the others settle into their blocking calls */
	nanosleep(&ts, NULL);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	printf("exiting thread: monotonic %lld.%09ld, computer started %d\n",
	       (long long)now.tv_sec, now.tv_nsec, spins > 0);
	exit(3);
}

int main(void)
{
	if (pipe(fds))
		return 1;
	pthread_t t[4];
	void *(*fn[4])(void *) = { reader, waiter, computer, exiter };
	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, fn[i], NULL)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	pthread_join(t[3], NULL);
	printf("not reached\n");
	return 0;
}
