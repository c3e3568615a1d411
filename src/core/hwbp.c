/* hwbp.c -- hardware execution breakpoints through the debug registers.
 *
 * DR0 holds the address, DR7 enables it as a local, 1-byte, execute
 * breakpoint.  An execute breakpoint faults before the instruction runs;
 * the kernel sets RF in the saved flags so resuming does not fault again. */
#include "core/hwbp.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "core/util.h"

#define DR_OFF(n) (offsetof(struct user, u_debugreg) + (n) * sizeof(long))
#define DR7_L0    1ul

int hwbp_set(pid_t tid, uint64_t addr)
{
	if (ptrace(PTRACE_POKEUSER, tid, DR_OFF(0), addr) < 0 ||
	    ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), DR7_L0) < 0) {
		err_set("cannot set a hardware breakpoint in %d: %s", tid, strerror(errno));
		return -1;
	}
	return 0;
}

void hwbp_clear(pid_t tid)
{
	ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), 0ul);
	ptrace(PTRACE_POKEUSER, tid, DR_OFF(6), 0ul);
}

bool hwbp_hit(const siginfo_t *si)
{
	return si->si_signo == SIGTRAP && si->si_code == 4 /* TRAP_HWBKPT */;
}
