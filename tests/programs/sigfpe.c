/* sigfpe: integer division by zero raises SIGFPE; the handler siglongjmps out. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;
static int fpe_code;
static void *fpe_addr;
volatile int zero = 0;
volatile int num = 1000;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	fpe_code = si->si_code;
	fpe_addr = si->si_addr;
	siglongjmp(env, 1);
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGFPE, &sa, NULL);
	for (volatile int i = 0; i < 3; i++) {
		if (sigsetjmp(env, 1) == 0) {
			int r = num / (zero + (i == 1 ? 7 : 0));
			printf("round %d: no fault, result %d\n", i, r);
		} else {
			printf("round %d: SIGFPE si_code %d (FPE_INTDIV=%d) si_addr %p\n", i,
			       fpe_code, FPE_INTDIV, fpe_addr);
		}
	}
	return 0;
}
