/* cpu.c -- CPU-bound benchmark: integer arithmetic with no system calls in
 * the loop, then one checksum line.  Under record/replay only the start-up
 * and the final write are system calls, so the overhead should be ~0.
 *
 *   cpu [ITERATIONS]     default 800000000 (about 1 s on a current x86-64)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 800000000ULL;
	uint64_t x = 0x9e3779b97f4a7c15ULL, h = 0;

	for (uint64_t i = 0; i < n; i++) {
		/* A 64-bit LCG step mixed into a rotating hash: the xor/rotate
		 * chain keeps the compiler from folding the loop away. */
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		h ^= x >> 29;
		h = (h << 7 | h >> 57) + i;
	}
	printf("checksum %016llx after %llu iterations\n",
	       (unsigned long long)h, (unsigned long long)n);
	return 0;
}
