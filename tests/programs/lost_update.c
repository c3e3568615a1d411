/* lost_update.c -- a lost update between two threads: each adds 1 to a
 * shared counter ITERS times by read-modify-write without a lock.  The
 * second thread is started only after the main thread has computed for
 * SPIN_US of its own CPU time, by when the first has normally finished: natively the loops
 * rarely overlap, and scribe's plain 50 ms slices never split them.
 * Exits 1 ("total N, expected M") when an update was lost, 0 otherwise.
 * Usage: lost_update [ITERS [SPIN_US]] (default 2000000 6000). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile long counter;
static long iters = 2000000;

static void *adder(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		long v = counter;   /* read ... */
		counter = v + 1;    /* ... write back: racy */
	}
	return NULL;
}

/* The main thread's own CPU time: a busy machine slows both threads
 * alike, so the first one still finishes first natively. */
static long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	long spin_us = 6000;
	if (argc > 1)
		iters = atol(argv[1]);
	if (argc > 2)
		spin_us = atol(argv[2]);
	pthread_t a, b;
	if (pthread_create(&a, NULL, adder, NULL))
		return 2;
	/* Compute (no syscall that could block) before the second thread. */
	volatile unsigned long x = 0;
	for (long t0 = now_us(); now_us() - t0 < spin_us;)
		for (int i = 0; i < 1000; i++)
			x += i;
	if (pthread_create(&b, NULL, adder, NULL))
		return 2;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	long want = 2 * iters;
	printf("total %ld, expected %ld\n", counter, want);
	return counter == want ? 0 : 1;
}
