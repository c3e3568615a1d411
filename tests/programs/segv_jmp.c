/* segv_jmp: a NULL write raises SIGSEGV; the handler siglongjmps out; prints si_addr, si_code, RIP. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static void *fault_addr;
static int fault_code, fault_signo;
static void *fault_rip;
int *volatile nullp;

static void handler(int sig, siginfo_t *si, void *uc)
{
	fault_rip = (void *)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
	fault_signo = sig;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(env, 1);
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	for (volatile int i = 0; i < 3; i++) {
		if (sigsetjmp(env, 1) == 0) {
			printf("round %d: writing to NULL\n", i);
			fflush(stdout);
			*nullp = 42;
			printf("not reached\n");
		} else {
			printf("round %d: recovered signo %d si_addr %p si_code %d rip %p\n", i,
			       fault_signo, fault_addr, fault_code, fault_rip);
		}
	}
	/* SIGSEGV must still be deliverable (not blocked) after siglongjmp. */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGSEGV blocked after longjmp: %d\n", sigismember(&cur, SIGSEGV));
	return 0;
}
