/* affinity: sched_getaffinity (CPU_COUNT and mask), sched_setaffinity to CPU 0 alone, then the mask again and sched_getcpu(). */
#include <sched.h>
#include <stdio.h>

static void show(const char *when)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof set, &set) != 0) {
		perror("sched_getaffinity");
		return;
	}
	printf("%s: %d CPUs, mask", when, CPU_COUNT(&set));
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			printf(" %d", i);
	printf("\n");
}

int main(void)
{
	show("before");
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof one, &one) != 0) {
		perror("sched_setaffinity");
		return 1;
	}
	show("after");
	printf("sched_getcpu: %d\n", sched_getcpu());
	return 0;
}
