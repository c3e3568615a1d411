/* replayctl_busy: print a getrandom value, then compute for about a second
 * with no system call (a replay paused meanwhile must stop it where it
 * runs), then print the sum: the replay-control tests pause it. */
#include <stdio.h>
#include <sys/random.h>

int main(int argc, char **argv)
{
	(void)argv;
	unsigned long seed = 0, rounds = argc > 1 ? 0 : 600000000ul;
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		return 1;
	printf("seed %016lx\n", seed);
	fflush(stdout);
	volatile unsigned long x = seed;
	for (unsigned long i = 0; i < rounds; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	printf("sum %016lx\n", (unsigned long)x);
	return 0;
}
