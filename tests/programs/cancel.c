/* cancel: pthread_cancel of a thread blocked in read() on a pipe and of one blocked in pthread_cond_wait; prints the cleanup handlers' output, the join results (PTHREAD_CANCELED) and how long the cancellations took. */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static long tids[2];

static void cleanup_read(void *arg)
{
	printf("cleanup: reader (%s) cancelled\n", (const char *)arg);
}

static void cleanup_wait(void *arg)
{
	printf("cleanup: waiter (%s) cancelled, unlocking\n", (const char *)arg);
	pthread_mutex_unlock(&lock);
}

static void *reader(void *arg)
{
	(void)arg;
	tids[0] = syscall(SYS_gettid);
	char c;
	pthread_cleanup_push(cleanup_read, "blocked in read");
	ssize_t n = read(fds[0], &c, 1);
	printf("reader: read returned %zd\n", n);
	pthread_cleanup_pop(0);
	return (void *)1L;
}

static void *waiter(void *arg)
{
	(void)arg;
	tids[1] = syscall(SYS_gettid);
	pthread_mutex_lock(&lock);
	pthread_cleanup_push(cleanup_wait, "blocked in cond_wait");
	for (;;)
		pthread_cond_wait(&never, &lock);
	pthread_cleanup_pop(1);
	return (void *)2L;
}

static long long ns(struct timespec a, struct timespec b)
{
	return (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
}

int main(void)
{
	if (pipe(fds))
		return 1;
	pthread_t r, w;
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&w, NULL, waiter, NULL);
	struct timespec ts = { 0, 100000000 };
	nanosleep(&ts, NULL);
	struct timespec t0, t1;
	void *res;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_cancel(r);
	pthread_join(r, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("reader joined: %s, cancel took %lld ns\n",
	       res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "returned", ns(t0, t1));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_cancel(w);
	pthread_join(w, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("waiter joined: %s, cancel took %lld ns\n",
	       res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "returned", ns(t0, t1));
	printf("tids differ from pid by %ld and %ld\n", tids[0] - getpid(), tids[1] - getpid());
	pthread_mutex_lock(&lock);
	printf("mutex free again\n");
	pthread_mutex_unlock(&lock);
	return 0;
}
