/* hwbp.c -- hardware breakpoints and watchpoints through the debug
 * registers.
 *
 * DRn holds slot n's address, DR7 enables it (local enable bit 2n) with a
 * type (bits 16+4n: execute, write, read/write) and a length (bits
 * 18+4n).  An execute breakpoint faults before the instruction runs; the
 * kernel sets RF in the saved flags so resuming does not fault again.  A
 * watchpoint traps after the access. */
#include "core/hwbp.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "core/util.h"

#define DR_OFF(n)     (offsetof(struct user, u_debugreg) + (n) * sizeof(long))
#define DR7_SLOT(n)   ((3ul << (2 * (n))) | (0xful << (16 + 4 * (n))))

static unsigned long dr7_get(pid_t tid)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, DR_OFF(7), 0);
	return errno ? 0 : (unsigned long)v;
}

static unsigned long len_bits(uint32_t len)
{
	return len == 2 ? 1 : len == 4 ? 3 : len == 8 ? 2 : 0;
}

int hwbp_set(pid_t tid, uint64_t addr)
{
	unsigned long dr7 = (dr7_get(tid) & ~DR7_SLOT(0)) | 1ul;
	if (ptrace(PTRACE_POKEUSER, tid, DR_OFF(0), addr) < 0 ||
	    ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), dr7) < 0) {
		err_set("cannot set a hardware breakpoint in %d: %s", tid, strerror(errno));
		return -1;
	}
	return 0;
}

void hwbp_clear(pid_t tid)
{
	ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), dr7_get(tid) & ~DR7_SLOT(0));
	ptrace(PTRACE_POKEUSER, tid, DR_OFF(6), 0ul);
}

bool hwbp_hit(const siginfo_t *si)
{
	return si->si_signo == SIGTRAP && si->si_code == 4 /* TRAP_HWBKPT */;
}

bool hwbp_hit_engine(pid_t tid, const siginfo_t *si)
{
	if (!hwbp_hit(si))
		return false;
	errno = 0;
	long dr6 = ptrace(PTRACE_PEEKUSER, tid, DR_OFF(6), 0);
	/* no user slot fired: it is ours (also if DR6 cannot be read) */
	return errno || (dr6 & 1) || !(dr6 & 0xe);
}

int hwbp_set_user(pid_t tid, const struct hwbp_slot *s)
{
	unsigned long keep = dr7_get(tid) & DR7_SLOT(0), dr7 = keep;
	/* disable first: the kernel checks each enabled slot's address */
	if (ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), keep) < 0)
		goto fail;
	for (int i = 0; i < HWBP_USER_SLOTS; i++) {
		int n = i + 1;
		if (!s[i].used)
			continue;
		if (ptrace(PTRACE_POKEUSER, tid, DR_OFF(n), s[i].addr) < 0)
			goto fail;
		dr7 |= (1ul << (2 * n)) | ((unsigned long)s[i].type << (16 + 4 * n)) |
		       (s[i].type == HWBP_EXEC ? 0 : len_bits(s[i].len) << (18 + 4 * n));
	}
	if (dr7 != keep && ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), dr7) < 0)
		goto fail;
	return 0;
fail:
	err_set("cannot set the debug registers of %d: %s", tid, strerror(errno));
	return -1;
}

unsigned long hwbp_dr6(pid_t tid)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, DR_OFF(6), 0);
	if (errno)
		return 0;
	ptrace(PTRACE_POKEUSER, tid, DR_OFF(6), 0ul);
	return (unsigned long)v;
}

bool hwbp_valid(int type, uint64_t addr, uint32_t len)
{
	if (type == HWBP_EXEC)
		return len == 1;
	if (type != HWBP_WRITE && type != HWBP_ACCESS)
		return false;
	return (len == 1 || len == 2 || len == 4 || len == 8) && !(addr & (len - 1));
}
