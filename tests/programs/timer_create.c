/* timer_create: a POSIX timer on CLOCK_MONOTONIC signals SIGRTMIN+1 every 5 ms into a pure CPU loop; the handler records the loop counter, si_value and si_overrun; prints 50 of them. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TICKS 50

static volatile unsigned long counter;
static volatile int n;
static unsigned long seen[TICKS];
static int values[TICKS], overruns[TICKS], codes[TICKS];

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (n >= TICKS)
		return;
	seen[n] = counter;
	values[n] = si->si_value.sival_int;
	overruns[n] = si->si_overrun;
	codes[n] = si->si_code;
	n++;
}

int main(void)
{
	int sig = SIGRTMIN + 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = 4242;
	timer_t tm;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tm)) {
		perror("timer_create");
		return 1;
	}
	struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
	if (timer_settime(tm, 0, &its, NULL)) {
		perror("timer_settime");
		return 1;
	}
	while (n < TICKS)
		counter++;
	timer_delete(tm);
	int bad = 0;
	for (int i = 0; i < TICKS; i++) {
		printf("tick %2d: counter %lu value %d overrun %d\n", i, seen[i], values[i], overruns[i]);
		bad += values[i] != 4242 || codes[i] != SI_TIMER;
	}
	printf("signal %d (SIGRTMIN+1), %d ticks with a wrong si_value or si_code\n", sig, bad);
	return 0;
}
