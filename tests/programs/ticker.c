/* ticker N [TAG [busy]]: prints "tick I TIME" (realtime clock) every 50
 * ms, N times (default 100, about 5 s).  TAG is ignored: tests pass a
 * unique tag to find the process with ps.  With "busy" it computes
 * between ticks (about 50 ms here) instead of sleeping, so a signal finds
 * it in user code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	int busy = argc > 3 && !strcmp(argv[3], "busy");
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	for (int i = 0; i < n; i++) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		printf("tick %d %lld.%09ld\n", i, (long long)now.tv_sec, now.tv_nsec);
		fflush(stdout);
		if (busy)
			for (volatile long k = 0; k < 180 * 1000 * 1000; k++)
				;
		else
			nanosleep(&pause, NULL);
	}
	printf("done\n");
	return 0;
}
