/* ticker: prints "tick I TIME" (realtime clock) every 50 ms, N times
 * (default 100, about 5 s).  Further arguments are ignored: tests pass a
 * unique tag to find the process with ps. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	for (int i = 0; i < n; i++) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		printf("tick %d %lld.%09ld\n", i, (long long)now.tv_sec, now.tv_nsec);
		fflush(stdout);
		nanosleep(&pause, NULL);
	}
	printf("done\n");
	return 0;
}
