/* spin: thread A busy-waits on an atomic flag with no system call in the loop ("pure": while (!flag) {}; "mem": also incrementing a counter in memory) until thread B, after a 50 ms sleep, sets it; prints how long A spun (and the count).  With a second argument, the program first reads that file (with the syscall buffer, its large reads of a system file are kept by reference: what the preload library learns to do so must not make memory differ between record and replay). */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int flag;
static volatile unsigned long spins;
static int mem_mode;
static long long spun_ns;

static void *spinner(void *arg)
{
	(void)arg;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (mem_mode)
		while (!atomic_load_explicit(&flag, memory_order_acquire))
			spins++;
	else
		while (!atomic_load_explicit(&flag, memory_order_acquire)) {
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	spun_ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	return NULL;
}

static void *setter(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);
	atomic_store_explicit(&flag, 1, memory_order_release);
	return NULL;
}

int main(int argc, char **argv)
{
	mem_mode = argc > 1 && strcmp(argv[1], "mem") == 0;
	if (argc > 2) {
		static char buf[65536];
		long total = 0, n;
		int fd = open(argv[2], O_RDONLY);
		while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			total += n;
		printf("read %ld bytes\n", total);
	}
	pthread_t a, b;
	pthread_create(&a, NULL, spinner, NULL);
	pthread_create(&b, NULL, setter, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("spun %lld ns (at least 50 ms: %d)\n", spun_ns, spun_ns >= 50000000LL);
	if (mem_mode)
		printf("spins %lu\n", spins);
	return 0;
}
