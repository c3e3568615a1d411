/* sig.c -- signal names, origin and disposition. */
#include "core/sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

const char *sig_name(int sig)
{
	static __thread char buf[16];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev && sig > 0 && sig < SIGRTMIN) {
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
		return buf;
	}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, sizeof(buf), "SIGRT_%d", sig - SIGRTMIN);
	else
		snprintf(buf, sizeof(buf), "SIG%d", sig);
	return buf;
}

bool sig_is_fault(const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP: case SIGSYS:
		return si->si_code > 0;     /* kernel-generated, not kill/tgkill */
	default:
		return false;
	}
}

/* The two "SigXxx:\t0000000000000000" masks named k1 and k2 in
 * /proc/TID/status, masked with sig's bit; false if the task is gone. */
static bool status_bits(pid_t tid, int sig, const char *k1, const char *k2,
                        bool *b1, bool *b2)
{
	char text[4096];                /* the whole file: about 1.5 KiB */
	if (!*proc_text(text, sizeof(text), "/proc/%d/status", (int)tid))
		return false;
	unsigned long long bit = 1ull << (sig - 1);
	const char *p1 = strstr(text, k1), *p2 = strstr(text, k2);
	*b1 = p1 && (strtoull(p1 + strlen(k1), NULL, 16) & bit);
	*b2 = p2 && (strtoull(p2 + strlen(k2), NULL, 16) & bit);
	return true;
}

enum sig_disp sig_disposition(pid_t tid, int sig)
{
	bool caught, ignored;
	if (!status_bits(tid, sig, "SigCgt:", "SigIgn:", &caught, &ignored))
		return DISP_DEFAULT;
	return caught ? DISP_HANDLER : ignored ? DISP_IGNORE : DISP_DEFAULT;
}

bool sig_pending(pid_t tid, int sig)
{
	bool own, shared;
	return status_bits(tid, sig, "SigPnd:", "ShdPnd:", &own, &shared) && (own || shared);
}

bool sig_default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG || sig == SIGCONT;
}

bool sig_is_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

bool sig_default_kills(int sig)
{
	return !sig_default_ignores(sig) && !sig_is_stop(sig);
}
