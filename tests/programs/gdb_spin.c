/* gdb_spin.c -- for gdb on a replay: compute for a couple of seconds with
 * no system call (a Ctrl-C in gdb must stop the replay there), then
 * print the result. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned long spin(unsigned long rounds)
{
	volatile unsigned long x = 1;
	for (unsigned long i = 0; i < rounds; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return x;
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 1200000000ul;
	printf("start\n");
	fflush(stdout);
	printf("sum %016lx\n", spin(rounds));
	return 0;
}
