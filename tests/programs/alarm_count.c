/* alarm_count: a pure CPU loop (no system calls) counts iterations until SIGALRM from a one-shot 200 ms setitimer sets a flag; prints the count. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
	(void)sig;
	fired = 1;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 200000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	unsigned long n = 0;
	while (!fired)
		n++;
	printf("counted %lu iterations before SIGALRM\n", n);
	return 0;
}
