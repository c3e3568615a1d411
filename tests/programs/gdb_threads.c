/* gdb_threads.c -- for gdb on a replay (tests/cases/debug_*.sh): two
 * threads call visit() three times each; main reads a file into a global
 * buffer (a watchpoint there stops at that read), then sums. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
volatile long total;
char buf[64];

__attribute__((noinline)) void visit(int who, int round)
{
	pthread_mutex_lock(&mu);
	total += who * 10 + round;
	pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
	int who = (int)(long)arg;
	for (int round = 1; round <= 3; round++) {
		visit(who, round);
		usleep(1000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	int fd = open(argc > 1 ? argv[1] : "/etc/hostname", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	printf("total %ld, read %ld\n", total, n);
	return 0;
}
