/* sigtrap: int3 raises SIGTRAP; the handler prints and returns, execution goes on after int3. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int traps;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char buf[160];
	int n = snprintf(buf, sizeof buf, "trap %d: signo %d si_code %d rip %p after-int3 %d\n",
			 traps, sig, si->si_code, (void *)uc->uc_mcontext.gregs[REG_RIP],
			 ((unsigned char *)uc->uc_mcontext.gregs[REG_RIP])[-1] == 0xcc);
	write(1, buf, n);
	traps++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < 3; i++) {
		printf("before int3 %d\n", i);
		__asm__ volatile("int3");
		printf("after int3 %d\n", i);
	}
	printf("traps %d\n", traps);
	return 0;
}
