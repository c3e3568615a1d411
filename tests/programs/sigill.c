/* sigill: ud2 raises SIGILL; the handler skips the 2-byte instruction (REG_RIP += 2). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int ills;
static volatile int code;
static void *volatile ill_addr;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	code = si->si_code;
	ill_addr = si->si_addr;
	/* si_addr is the faulting instruction: it must be where RIP is. */
	if ((void *)uc->uc_mcontext.gregs[REG_RIP] != si->si_addr)
		code = -1000;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	ills++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		int x = i;
		__asm__ volatile("ud2\n\taddl $10, %0" : "+r"(x));
		printf("round %d: ills %d si_code %d si_addr %p x %d\n", i, ills, code, ill_addr, x);
	}
	return 0;
}
