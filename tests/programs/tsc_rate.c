/* tsc_rate.c -- the time-stamp counter as a clock: 2000 rdtsc reads over
 * about 100 ms, against CLOCK_MONOTONIC.  Prints whether every read was
 * larger than the one before, the counter's rate in MHz and how many
 * nanoseconds and ticks it measured (which differ from run to run).  Under scribe
 * the recorder reads the real counter at most every 10 ms and estimates it
 * in between (core/cpu.c): the rate must still come out as the hardware's,
 * and replay must print what the recording printed.
 *
 *   tsc_rate       runs for about 0.1 s */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static long long ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	long long n0 = ns_now();
	unsigned long long t0 = __rdtsc(), prev = t0, t = t0;
	int monotonic = 1;
	for (int i = 0; i < 2000; i++) {
		struct timespec pause = { 0, 50000 };
		nanosleep(&pause, NULL);
		t = __rdtsc();
		if (t <= prev)
			monotonic = 0;
		prev = t;
	}
	long long n1 = ns_now();
	printf("monotonic %d\nmhz %lld\n", monotonic, (long long)((t - t0) * 1000 / (unsigned long long)(n1 - n0)));
	printf("over %lld ns, %llu ticks\n", n1 - n0, t - t0);
	return 0;
}
