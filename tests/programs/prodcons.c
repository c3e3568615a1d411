/* prodcons: one producer and two consumers share a 4-slot buffer guarded by a mutex and two condition variables; consumers log each item with who took it and when. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define ITEMS 40
#define SLOTS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int buf[SLOTS], head, count, produced_all;
static struct timespec t0;

static long long since_start(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)(t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec);
}

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		if (i % 5 == 0) {
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
		}
		pthread_mutex_lock(&lock);
		while (count == SLOTS)
			pthread_cond_wait(&not_full, &lock);
		buf[(head + count) % SLOTS] = i * 10;
		count++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	produced_all = 1;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *consumer(void *arg)
{
	int id = (int)(long)arg;
	long sum = 0;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (count == 0 && !produced_all)
			pthread_cond_wait(&not_empty, &lock);
		if (count == 0) {
			pthread_mutex_unlock(&lock);
			break;
		}
		int item = buf[head];
		head = (head + 1) % SLOTS;
		count--;
		printf("consumer %d took %d at %lld ns\n", id, item, since_start());
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
		sum += item;
	}
	return (void *)sum;
}

int main(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_t p, c[2];
	pthread_create(&c[0], NULL, consumer, (void *)1L);
	pthread_create(&c[1], NULL, consumer, (void *)2L);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	long total = 0;
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(c[i], &r);
		printf("consumer %d summed %ld\n", i + 1, (long)r);
		total += (long)r;
	}
	printf("total %ld\n", total);
	return 0;
}
