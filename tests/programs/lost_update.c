/* lost_update.c -- a lost update between two threads: each adds 1 to a
 * shared counter ITERS times by read-modify-write without a lock.  The
 * second thread is started only after the main thread has done SPIN
 * times as much work as one thread's loop, by when the first thread has
 * normally finished: natively the loops rarely overlap, and scribe's plain
 * 50 ms slices never split them.  No system call between the threads'
 * start and their end, so the syscall buffer changes nothing.
 * Exits 1 ("total N, expected M", and on stderr how many updates were
 * lost) when an update was lost, 0 otherwise.
 * Usage: lost_update [ITERS [SPIN]] (default 2000000 3). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

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

int main(int argc, char **argv)
{
	double spin = 3;
	if (argc > 1)
		iters = atol(argv[1]);
	if (argc > 2)
		spin = atof(argv[2]);
	pthread_t a, b;
	if (pthread_create(&a, NULL, adder, NULL))
		return 2;
	/* Work like the loop's (a volatile read-modify-write) before the
	 * second thread: a busy machine slows both threads alike. */
	static volatile long x;
	for (long i = 0; i < (long)(spin * iters); i++)
		x = x + 1;
	if (pthread_create(&b, NULL, adder, NULL))
		return 2;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	long want = 2 * iters;
	printf("total %ld, expected %ld\n", counter, want);
	if (counter != want)
		fprintf(stderr, "lost_update: %ld updates lost\n", want - counter);
	return counter == want ? 0 : 1;
}
