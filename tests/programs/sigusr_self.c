/* sigusr_self: raise(SIGUSR1) and kill(getpid(), SIGUSR1) with a SA_SIGINFO handler; prints si_code/si_pid. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static volatile int code, spid, suid;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	code = si->si_code;
	spid = si->si_pid;
	suid = si->si_uid;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	int me = getpid();
	raise(SIGUSR1);
	printf("raise: got %d si_code %d (SI_TKILL=%d) si_pid %d self %d match %d uid %d\n",
	       got, code, SI_TKILL, spid, me, spid == me, suid);
	got = 0;
	kill(me, SIGUSR1);
	printf("kill: got %d si_code %d (SI_USER=%d) si_pid %d match %d\n", got, code, SI_USER,
	       spid, spid == me);
	/* blocked, then unblocked: delivered by sigprocmask */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	got = 0;
	raise(SIGUSR1);
	printf("while blocked: got %d\n", got);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("after unblock: got %d si_code %d\n", got, code);
	printf("continuing after the handlers\n");
	return 0;
}
