/* clock: every way a program reads the time -- clock_gettime (realtime,
 * monotonic), gettimeofday, time() -- printed with full precision. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec rt, mono;
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	printf("realtime %lld.%09ld\n", (long long)rt.tv_sec, rt.tv_nsec);
	printf("monotonic %lld.%09ld\n", (long long)mono.tv_sec, mono.tv_nsec);
	printf("gettimeofday %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
	printf("time %lld\n", (long long)t);
	return 0;
}
