/* racy.c -- the racy counter: 4 threads, released together by a barrier,
 * each increment a shared counter 1,000,000 times without a lock; prints
 * the total, which natively is usually short of 4000000 (lost updates) and
 * differs from run to run.  Replay must print the recorded total.
 *
 *   racy [INCREMENTS]     per thread, default 1000000
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4

static volatile long counter;
static long iters;
static pthread_barrier_t start;

static void *run(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++)
		counter++;          /* load, add, store: not atomic */
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];

	iters = argc > 1 ? strtol(argv[1], NULL, 0) : 1000000;
	pthread_barrier_init(&start, NULL, THREADS);
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, run, NULL) != 0) {
			fprintf(stderr, "racy: pthread_create failed\n");
			return 1;
		}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	printf("total %ld of %ld\n", counter, (long)THREADS * iters);
	return 0;
}
