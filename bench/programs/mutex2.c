/* mutex2.c -- two CPU-bound threads sharing a pthread mutex: each thread
 * repeats ROUNDS times a chunk of integer arithmetic (~1 ms) on private
 * state, then takes the shared mutex to fold its chunk into a shared sum.
 * Natively both threads run in parallel for ~1 s; recorded, the threads of
 * one process run one at a time, so they contend on the lock (futex waits)
 * and are switched, or preempted, often.  The shared update is a sum, so
 * the printed checksum does not depend on the interleaving.
 *
 *   mutex2 [ROUNDS [WORK]]   default 1000 rounds of 800000 steps per thread
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t shared_sum;      /* under lock */
static unsigned long locked;     /* under lock: times the lock was taken */
static long rounds, work;

static void *run(void *arg)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL + (uintptr_t)arg, h = 0;

	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < work; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			h ^= x >> 29;
			h = (h << 7 | h >> 57) + (uint64_t)i;
		}
		pthread_mutex_lock(&lock);
		shared_sum += h;
		locked++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[2];

	rounds = argc > 1 ? strtol(argv[1], NULL, 0) : 1000;
	work = argc > 2 ? strtol(argv[2], NULL, 0) : 800000;
	for (long t = 0; t < 2; t++)
		if (pthread_create(&th[t], NULL, run, (void *)t) != 0) {
			fprintf(stderr, "mutex2: pthread_create failed\n");
			return 1;
		}
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	printf("checksum %016llx after %lu locked updates\n",
	       (unsigned long long)shared_sum, locked);
	return 0;
}
