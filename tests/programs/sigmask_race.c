/* sigmask_race.c -- a 100 us interval timer against a loop that blocks and
 * unblocks SIGALRM as fast as it can, through the syscall buffer's
 * in-process rt_sigprocmask.  The timer often fires while the library is
 * making the blocking call: scribe holds the signal until the call ends,
 * and by then the signal is blocked.  It must reach the program later (at
 * the unblocking call), in record and replay alike.  Prints how many
 * signals the handler took and how many rounds ran: different every run.
 *
 *   sigmask_race     runs for about 0.3 s */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t ticks;
static void on_alarm(int sig) { (void)sig; ticks++; }

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	setitimer(ITIMER_REAL, &it, NULL);
	sigset_t alrm;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long rounds = 0, inside = 0;
	for (;;) {
		sigprocmask(SIG_BLOCK, &alrm, NULL);
		int before = ticks;
		inside += ticks != before;          /* never: it is blocked */
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
		rounds++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) > 300000000L)
			break;
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	printf("rounds %ld, signals %d, taken while blocked %ld\n", rounds, (int)ticks, inside);
	return 0;
}
