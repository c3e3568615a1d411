/* spin-count.c -- a spin-wait that counts: thread A runs
 * 'while (!flag) count++;' on volatile globals, no system call in the
 * loop, until thread B, after sleeping ~200 ms, sets the flag; prints the
 * count.  Recorded, A is preempted (it computes for 50 ms while B waits to
 * run) at points replay must find again: the placement-cost benchmark.
 *
 *   spin-count [SLEEP_MS]     default 200
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile int flag;
static volatile unsigned long count;
static long sleep_ms;

static void *spinner(void *arg)
{
	(void)arg;
	while (!flag)
		count++;
	return NULL;
}

static void *setter(void *arg)
{
	(void)arg;
	struct timespec ts = { sleep_ms / 1000, sleep_ms % 1000 * 1000000L };
	nanosleep(&ts, NULL);
	flag = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;

	sleep_ms = argc > 1 ? strtol(argv[1], NULL, 0) : 200;
	if (pthread_create(&a, NULL, spinner, NULL) != 0 ||
	    pthread_create(&b, NULL, setter, NULL) != 0) {
		fprintf(stderr, "spin-count: pthread_create failed\n");
		return 1;
	}
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("count %lu\n", count);
	return 0;
}
