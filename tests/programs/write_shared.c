/* write_shared: one thread writes a buffer to /dev/null 20000 times while
 * another keeps changing that buffer, yielding in between.  When recording,
 * a write lets the domain go at its entry, so the other thread may change
 * the buffer while the kernel has the call: the bytes the write hands over
 * are those at its entry, and replay must check those.  Prints how many
 * times the changer ran, the final buffer's checksum and how long the
 * writes took. */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>

static unsigned char buf[4096];
static volatile int stop;

static void *changer(void *arg)
{
	long *n = arg;
	while (!stop) {
		for (unsigned i = 0; i < 64; i++)
			buf[i * 64] += (unsigned char)(i + 1);
		(*n)++;
		sched_yield();
	}
	return NULL;
}

int main(void)
{
	int fd = open("/dev/null", O_WRONLY);
	long n = 0;
	pthread_t th;
	if (fd < 0 || pthread_create(&th, NULL, changer, &n))
		return 1;
	while (!__atomic_load_n(&n, __ATOMIC_RELAXED))
		;                          /* the changer is under way */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20000; i++)
		if (write(fd, buf, sizeof buf) != sizeof buf)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stop = 1;
	pthread_join(th, NULL);
	unsigned long sum = 0;
	for (unsigned i = 0; i < sizeof buf; i++)
		sum = sum * 31 + buf[i];
	printf("changer ran %ld times, checksum %lu, writes took %ld ns\n", n, sum,
	       (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
