/* pdeathsig: a grandchild sets PR_SET_PDEATHSIG(SIGUSR1) with a handler, its parent exits; the handler's si_code/si_pid and getppid() afterwards are printed; the top process waits on a pipe. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static volatile int code, spid;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	code = si->si_code;
	spid = si->si_pid;
	got = sig;
}

int main(void)
{
	int done[2], sync[2];
	if (pipe(done) || pipe(sync))
		return 1;
	pid_t top = getpid();
	fflush(stdout);
	pid_t middle = fork();
	if (middle < 0)
		return 1;
	if (middle == 0) {
		close(done[0]);
		pid_t me = getpid();
		pid_t c = fork();
		if (c < 0)
			_exit(1);
		if (c == 0) {
			close(sync[0]);
			struct sigaction sa;
			memset(&sa, 0, sizeof sa);
			sa.sa_sigaction = handler;
			sa.sa_flags = SA_SIGINFO;
			sigaction(SIGUSR1, &sa, NULL);
			sigset_t block, old;
			sigemptyset(&block);
			sigaddset(&block, SIGUSR1);
			sigprocmask(SIG_BLOCK, &block, &old);
			if (prctl(PR_SET_PDEATHSIG, SIGUSR1) != 0)
				_exit(2);
			int pd = 0;
			prctl(PR_GET_PDEATHSIG, &pd);
			pid_t before = getppid();
			/* tell the middle process it may exit now */
			if (write(sync[1], "r", 1) != 1)
				_exit(3);
			close(sync[1]);
			while (!got)
				sigsuspend(&old);
			pid_t after = getppid();
			printf("grandchild: pdeathsig %d, parent before %d (middle %d)\n", pd, (int)before,
			       before == me);
			printf("handler: signo %d si_code %d (SI_USER=%d) si_pid %d (middle %d)\n", (int)got,
			       code, SI_USER, spid, spid == me);
			printf("getppid after: %d, still middle %d, top %d\n", (int)after, after == me,
			       after == top);
			fflush(stdout);
			_exit(0);
		}
		close(sync[1]);
		char ch;
		if (read(sync[0], &ch, 1) != 1)
			_exit(4);
		_exit(5);
	}
	close(done[1]);
	close(sync[0]);
	close(sync[1]);
	char buf[16];
	ssize_t r = read(done[0], buf, sizeof buf); /* EOF once the grandchild exits */
	int st;
	pid_t w = waitpid(middle, &st, 0);
	printf("top: pipe closed (read %zd); middle: waitpid matched %d, exit status %d\n", r,
	       w == middle, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("no more children %d\n", wait(NULL) < 0);
	return 0;
}
