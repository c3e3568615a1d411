/* bigheap MIB ITERS: two threads compute without system calls in a process
 * with a heap of MIB MiB (every page non-zero), touching a page of it
 * now and then and bumping a counter they share without a lock.  A
 * preemption snapshot of the whole heap would be the heap's size: it
 * must be only the pages the slice wrote.  Prints each thread's result,
 * the heap's checksum, the shared counter (lost updates) and the time. */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static unsigned char *heap;
static size_t heap_size;
static long iters;
static volatile long shared_count;

static void *work(void *arg)
{
	uint64_t x = (uint64_t)(uintptr_t)arg * 2654435761u + 1;
	for (long i = 0; i < iters; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		if ((i & 0xffff) == 0)
			heap[(x >> 20) % heap_size] += (unsigned char)x;
		if ((i & 3) == 0)
			shared_count++;
	}
	return (void *)(uintptr_t)(x >> 33);
}

int main(int argc, char **argv)
{
	heap_size = (argc > 1 ? strtoul(argv[1], NULL, 10) : 400) << 20;
	iters = argc > 2 ? strtol(argv[2], NULL, 10) : 400000000;
	heap = malloc(heap_size);
	if (!heap)
		return 1;
	memset(heap, 7, heap_size);
	pthread_t a, b;
	pthread_create(&a, NULL, work, (void *)1);
	pthread_create(&b, NULL, work, (void *)2);
	void *ra, *rb;
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	uint64_t sum = 0;
	for (size_t i = 0; i < heap_size; i += 512)
		sum = sum * 31 + heap[i];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("threads %lx %lx heap %016llx shared %ld at %lld.%09ld\n",
	       (unsigned long)(uintptr_t)ra, (unsigned long)(uintptr_t)rb,
	       (unsigned long long)sum, shared_count, (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}
