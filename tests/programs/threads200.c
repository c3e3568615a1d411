/* threads200: 200 threads each return a value computed from their tid; the main thread joins them all and prints the sum and the order in which the threads finished. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 200

static atomic_int done;
static int order[THREADS];

static void *run(void *arg)
{
	int id = (int)(long)arg;
	long tid = syscall(SYS_gettid);
	order[atomic_fetch_add(&done, 1)] = id;
	return (void *)(tid * 3 + id);
}

int main(void)
{
	pthread_t th[THREADS];
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], &attr, run, (void *)i) != 0) {
			perror("pthread_create");
			return 1;
		}
	long sum = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		if (pthread_join(th[i], &r) != 0)
			return 1;
		sum += (long)r;
	}
	printf("joined %d threads, sum %ld\n", atomic_load(&done), sum);
	printf("completion order:");
	for (int i = 0; i < THREADS; i++)
		printf("%s%d", i % 20 ? " " : "\n", order[i]);
	printf("\n");
	return 0;
}
