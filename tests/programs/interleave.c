/* interleave: 4 threads start together at a barrier and append their id 2000 times each to a shared log under a mutex; prints the order as runs (id*count). */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define APPENDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static int logv[THREADS * APPENDS];
static int len;
static volatile unsigned long sink;

static void *run(void *arg)
{
	int id = (int)(long)arg;
	pthread_barrier_wait(&start);
	for (int i = 0; i < APPENDS; i++) {
		pthread_mutex_lock(&lock);
		logv[len++] = id;
		pthread_mutex_unlock(&lock);
		for (int k = 0; k < 5000; k++)
			sink += (unsigned long)k;
	}
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
	int count[THREADS] = { 0 }, runs = 0;
	for (int i = 0; i < len; i++) {
				int j = i;
		while (j + 1 < len && logv[j + 1] == logv[i])
			j++;
		count[logv[i]] += j - i + 1;
		printf("%d*%d%s", logv[i], j - i + 1, ++runs % 16 ? " " : "\n");
		i = j;
	}
	printf("\nentries %d runs %d per thread", len, runs);
	for (int i = 0; i < THREADS; i++)
		printf(" %d", count[i]);
	printf("\n");
	return 0;
}
