/* itimer_ticks: a pure CPU loop increments a counter in memory while setitimer fires SIGALRM every 10 ms for one second; the handler stores the counter at each tick and the 100 counts are printed at the end. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define TICKS 100

static volatile unsigned long count;
static unsigned long at_tick[TICKS];
static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	if (ticks < TICKS)
		at_tick[ticks] = count;
	ticks++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	while (ticks < TICKS)
		count++;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	int increasing = 1;
	for (int i = 0; i < TICKS; i++) {
		printf("%lu%s", at_tick[i], i % 10 == 9 ? "\n" : " ");
		if (i > 0 && at_tick[i] < at_tick[i - 1])
			increasing = 0;
	}
	printf("ticks %d, counts increasing %d, final count %lu\n", (int)ticks, increasing, count);
	return 0;
}
