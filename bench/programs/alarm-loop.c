/* alarm-loop.c -- a tight arithmetic loop interrupted by SIGALRM every
 * 10 ms (setitimer, ITIMER_REAL) for ~1 s: the handler records the loop
 * counter at each tick; prints the 100 counts.  Each signal arrives at an
 * arbitrary instruction of the loop, and replay must deliver it at the
 * same one: the placement-cost benchmark for asynchronous signals.
 *
 *   alarm-loop [TICKS]     default 100
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define MAX_TICKS 10000

static volatile unsigned long count, acc;
static unsigned long at_tick[MAX_TICKS];
static volatile sig_atomic_t ticks;
static long want;

static void on_alarm(int sig)
{
	(void)sig;
	if (ticks < want)
		at_tick[ticks] = count;
	ticks++;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	want = argc > 1 ? strtol(argv[1], NULL, 0) : 100;
	if (want < 1 || want > MAX_TICKS)
		want = 100;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	while (ticks < want) {
		acc = acc * 2654435761UL + count;
		count++;
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	for (long i = 0; i < want; i++)
		printf("%lu%s", at_tick[i], i % 10 == 9 || i == want - 1 ? "\n" : " ");
	printf("ticks %d, final count %lu\n", (int)ticks, count);
	return 0;
}
