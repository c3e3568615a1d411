/* slice_state.c -- two CPU-bound threads of one process (so scribe preempts
 * them in turn, in the middle of user code) that, between long stretches of
 * pure computation, change the process's kernel state through calls the
 * syscall buffer makes in-process: the heap's break (small mallocs, main
 * thread), anonymous maps (large mallocs), a signal action and the signal
 * mask.  Replay restores some preempted slices from snapshots instead of
 * running them; the state those calls left must be there all the same:
 * the program prints what it sees of it at the end (the break, its maps'
 * contents, SIGUSR1 caught by the handler installed last, the mask).
 *
 *   slice_state     each thread runs for about 1.5 s */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define ROUNDS 4096

static volatile sig_atomic_t caught;
static void on_usr1_a(int s) { (void)s; caught = 1; }
static void on_usr1_b(int s) { (void)s; caught = 2; }

struct work {
	int id;
	uint64_t acc;
	long rounds;
	uint32_t sum;               /* of the blocks, hashed as they were made */
};

static void *run(void *arg)
{
	struct work *w = arg;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	static char *keep[2][ROUNDS];
	for (long r = 0; r < ROUNDS; r++) {
		w->acc = lcg_spin(w->acc, 1 << 20);
		/* small blocks from the break (main thread's arena), large
		 * ones from anonymous maps */
		size_t n = (r & 1) ? 200000 + (w->acc & 0xffff) : 20000 + (w->acc & 0xfff);
		char *p = malloc(n);
		memset(p, (int)(w->acc & 0xff), n);
		w->sum = w->sum * 31 + fnv((unsigned char *)p, n);
		keep[w->id][r] = p;
		if (w->id == 0) {
			struct sigaction sa = { .sa_handler = (r & 1) ? on_usr1_b : on_usr1_a };
			sigaction(SIGUSR1, &sa, NULL);
			sigset_t set;
			sigemptyset(&set);
			sigaddset(&set, (r & 1) ? SIGUSR2 : SIGHUP);
			pthread_sigmask(SIG_SETMASK, &set, NULL);
		}
		w->rounds = r + 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) > 1500000000L)
			break;
	}
	uint32_t check = 0;           /* the blocks still hold what was written */
	for (long r = 0; r < w->rounds; r++)
		check += (unsigned char)keep[w->id][r][0];
	w->sum ^= check;
	return NULL;
}

int main(void)
{
	struct work w[2] = { { .id = 0, .acc = (uint64_t)time(NULL) }, { .id = 1, .acc = 7 } };
	pthread_t th;
	pthread_create(&th, NULL, run, &w[1]);
	run(&w[0]);
	pthread_join(th, NULL);
	for (int i = 0; i < 2; i++)
		printf("thread %d: %ld rounds, acc %016llx, blocks %08x\n", i, w[i].rounds,
		       (unsigned long long)w[i].acc, w[i].sum);
	raise(SIGUSR1);
	sigset_t now;
	pthread_sigmask(SIG_SETMASK, NULL, &now);
	printf("SIGUSR1 caught by handler %d; mask has SIGUSR2 %d, SIGHUP %d\n", caught,
	       sigismember(&now, SIGUSR2), sigismember(&now, SIGHUP));
	printf("break grew: %d\n", (char *)sbrk(0) - (char *)0 > 0);
	return 0;
}
