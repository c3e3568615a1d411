/* barrier: 4 threads pass a pthread_barrier 3 times, sleeping a varying time before each; prints the order they passed each round and when. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define THREADS 4
#define ROUNDS 3

static pthread_barrier_t bar;
static atomic_int slot[ROUNDS];
static int who[ROUNDS][THREADS];
static long long when[ROUNDS][THREADS];
static int serial[ROUNDS];
static struct timespec t0;

static long long since_start(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)(t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec);
}

static void *run(void *arg)
{
	int id = (int)(long)arg;
	for (int r = 0; r < ROUNDS; r++) {
		struct timespec ts = { 0, 1000000L * ((id * 7 + r * 3) % 5) };
		nanosleep(&ts, NULL);
		int s = pthread_barrier_wait(&bar);
		int k = atomic_fetch_add(&slot[r], 1);
		who[r][k] = id;
		when[r][k] = since_start();
		if (s == PTHREAD_BARRIER_SERIAL_THREAD)
			serial[r]++;
	}
	return NULL;
}

int main(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_barrier_init(&bar, NULL, THREADS);
	pthread_t th[THREADS];
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, run, (void *)i) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int r = 0; r < ROUNDS; r++) {
		printf("round %d (%d serial):", r, serial[r]);
		for (int k = 0; k < THREADS; k++)
			printf(" t%d@%lld", who[r][k], when[r][k]);
		printf("\n");
	}
	return 0;
}
