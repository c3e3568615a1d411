/* cpuid_threads.c -- two threads of one process in ping-pong over pipes;
 * one asks cpuid (as libraries do when they choose code, at any time)
 * and then changes memory the other reads once the pipe wakes it.  Under
 * scribe cpuid faults and the tracer answers it: on replay that stop must
 * not be a point where the other thread may run, or it would read the
 * memory before the change.  Prints the other thread's sum.
 *
 *   cpuid_threads */
#include <cpuid.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

#define ROUNDS 300

static volatile uint64_t v;
static int p1[2], p2[2];

static void *other(void *a)
{
	uint64_t sum = 0;
	char c;
	for (int i = 0; i < ROUNDS; i++) {
		if (read(p1[0], &c, 1) != 1)
			break;
		sum = sum * 7 + v;
		if (write(p2[1], "y", 1) != 1)
			break;
	}
	printf("sum %016llx\n", (unsigned long long)sum);
	return a;
}

int main(void)
{
	uint64_t seed = 0;
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed) || pipe(p1) < 0 || pipe(p2) < 0)
		return 1;
	v = seed;
	pthread_t th;
	pthread_create(&th, NULL, other, NULL);
	char c;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned a, b, cx, d;
		__cpuid(0, a, b, cx, d);
		v = v * 31 + a + (uint64_t)i;
		if (write(p1[1], "x", 1) != 1 || read(p2[0], &c, 1) != 1)
			break;
	}
	pthread_join(th, NULL);
	return 0;
}
