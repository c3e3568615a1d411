/* poll_yield: the main thread polls a flag with a raw system call in its
 * loop (getppid, which no syscall buffer takes: every one is a ptrace
 * stop) until a second thread, after about 10 M iterations of arithmetic,
 * sets it; prints how many polls that took.  Go's runtime waits like this
 * for a goroutine to stop (clock_gettime in its loop). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_int flag;

static void *setter(void *arg)
{
	(void)arg;
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 10000000; i++)
		x += i;
	atomic_store(&flag, 1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	long polls = 0;
	pthread_create(&t, NULL, setter, NULL);
	while (!atomic_load(&flag)) {
		syscall(SYS_getppid);
		polls++;
	}
	pthread_join(t, NULL);
	printf("polled %ld times\n", polls);
	return 0;
}
