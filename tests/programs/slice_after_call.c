/* slice_after_call.c -- two CPU-bound threads of one process, each round
 * making one traced call (a byte written to a pipe: it could block, so the
 * syscall buffer leaves it to the tracer), then a large malloc (an
 * anonymous map the buffer makes in-process), then a long computation in
 * which scribe preempts it.  Replay answers the traced call at its entry
 * stop and restores the preempted slice from a snapshot, so it must re-make
 * the slice's map from a task still sitting at that entry stop (Apache's
 * event MPM workers do exactly this: a wake-up byte to a pipe, then a
 * request's pool).  The program prints what its blocks hold at the end.
 *
 *   slice_after_call     each thread runs for about 1.5 s */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define ROUNDS 4096

struct work {
	int id;
	int pipe_w;
	uint64_t acc;
	long rounds;
	uint32_t sum;
};

static void *run(void *arg)
{
	struct work *w = arg;
	struct timespec t0, t;
	static char *keep[2][ROUNDS];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long r = 0; r < ROUNDS; r++) {
		if (write(w->pipe_w, "x", 1) != 1)
			return NULL;
		size_t n = 200000 + (w->acc & 0xffff);   /* above the mmap threshold */
		char *p = malloc(n);
		memset(p, (int)(w->acc & 0xff), n);
		w->acc = lcg_spin(w->acc, 1 << 25);
		p[n - 1] = (char)w->acc;
		w->sum = w->sum * 31 + fnv((unsigned char *)p, n);
		keep[w->id][r] = p;
		w->rounds = r + 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) > 1500000000L)
			break;
	}
	uint32_t check = 0;
	for (long r = 0; r < w->rounds; r++)
		check += (unsigned char)keep[w->id][r][0];
	w->sum ^= check;
	return NULL;
}

int main(void)
{
	int fds[2][2];
	if (pipe(fds[0]) < 0 || pipe(fds[1]) < 0)
		return 1;
	struct work w[2] = { { .id = 0, .pipe_w = fds[0][1], .acc = (uint64_t)time(NULL) },
	                     { .id = 1, .pipe_w = fds[1][1], .acc = 7 } };
	pthread_t th;
	pthread_create(&th, NULL, run, &w[1]);
	run(&w[0]);
	pthread_join(th, NULL);
	for (int i = 0; i < 2; i++)
		printf("thread %d: %ld rounds, acc %016llx, blocks %08x\n", i, w[i].rounds,
		       (unsigned long long)w[i].acc, w[i].sum);
	return 0;
}
