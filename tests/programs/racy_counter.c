/* racy_counter: 4 threads start together at a barrier and increment a shared counter 1,000,000 times each without a lock (with busy work in between, so they run long enough to overlap natively and to be preempted when recorded); prints the total, the order the threads finished in and the counter value each one saw when it finished. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 1000000

static volatile long counter;
static volatile unsigned sink;
static pthread_barrier_t start;
static atomic_int finished;
static int order[THREADS];
static long seen[THREADS];

static void *run(void *arg)
{
	int id = (int)(long)arg;
	pthread_barrier_wait(&start);
	for (int i = 0; i < ITERS; i++) {
		counter++;
		for (int k = 0; k < 200; k++)  /* run long enough to overlap (and be preempted) */
			sink += (unsigned)k;
	}
	seen[id] = counter;
	order[atomic_fetch_add(&finished, 1)] = id;
	return NULL;
}

int main(void)
{
	pthread_t th[THREADS];
	pthread_barrier_init(&start, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, run, (void *)i) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	printf("total %ld (%s)\n", counter, counter == (long)THREADS * ITERS ? "no lost updates" : "lost updates");
	printf("finish order:");
	for (int i = 0; i < THREADS; i++)
		printf(" %d", order[i]);
	printf("\nseen at finish:");
	for (int i = 0; i < THREADS; i++)
		printf(" %ld", seen[i]);
	printf("\n");
	return 0;
}
