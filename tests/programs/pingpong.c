/* pingpong: 100 SIGUSR1/SIGUSR2 round trips between a parent and its child, waited for with sigsuspend; handlers only count.  Prints the counts and the elapsed time in ns. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 100

static volatile sig_atomic_t n1, n2;

static void on_usr1(int sig) { (void)sig; n1++; }
static void on_usr2(int sig) { (void)sig; n2++; }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sigset_t block, wait_mask;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGUSR1);
	sigdelset(&wait_mask, SIGUSR2);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t parent = getpid();
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		for (int i = 0; i < ROUNDS; i++) {
			while (n1 <= i)
				sigsuspend(&wait_mask);
			kill(parent, SIGUSR2);
		}
		printf("child: %d SIGUSR1 received, %d SIGUSR2\n", (int)n1, (int)n2);
		fflush(stdout);
		_exit(n1 == ROUNDS ? 0 : 1);
	}
	for (int i = 0; i < ROUNDS; i++) {
		kill(child, SIGUSR1);
		while (n2 <= i)
			sigsuspend(&wait_mask);
	}
	int st;
	waitpid(child, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("parent: %d SIGUSR2 received, %d SIGUSR1; child exited %d\n", (int)n2, (int)n1,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("elapsed %lld ns\n",
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
