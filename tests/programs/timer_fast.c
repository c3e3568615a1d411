/* timer_fast: two POSIX timers on CLOCK_MONOTONIC signal SIGRTMIN+1 into a pure CPU loop, one every 300 us, one every 700 us, until the first has signalled 200 times; the handler counts signals and overruns per timer (told apart by si_value) and all its calls; prints the counts. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TICKS 200

static volatile unsigned long counter;
static volatile int calls, wrong;
static volatile int sigs[2], overruns[2];

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	calls++;
	int k = si->si_value.sival_int - 1;
	if (si->si_code != SI_TIMER || k < 0 || k > 1) {
		wrong++;
		return;
	}
	sigs[k]++;
	overruns[k] += si->si_overrun;
}

static int start(timer_t *tm, int sig, int value, long period_ns)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = value;
	struct itimerspec its = { { 0, period_ns }, { 0, period_ns } };
	if (timer_create(CLOCK_MONOTONIC, &sev, tm) || timer_settime(*tm, 0, &its, NULL)) {
		perror("timer");
		return -1;
	}
	return 0;
}

int main(void)
{
	int sig = SIGRTMIN + 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
	timer_t a, b;
	if (start(&a, sig, 1, 300000) || start(&b, sig, 2, 700000))
		return 1;
	while (sigs[0] < TICKS)
		counter++;
	timer_delete(a);
	timer_delete(b);
	printf("timer 1: %d signals, %d overruns\n", sigs[0], overruns[0]);
	printf("timer 2: %d signals, %d overruns\n", sigs[1], overruns[1]);
	printf("handler calls %d, wrong %d, loop %lu\n", calls, wrong, counter);
	return 0;
}
