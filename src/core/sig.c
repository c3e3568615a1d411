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

/* Parse a "SigXxx:\t0000000000000000" mask line out of /proc/TID/status. */
static unsigned long long status_mask(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

enum sig_disp sig_disposition(pid_t tid, int sig)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	char *text = read_file(path, NULL);
	if (!text)
		return DISP_DEFAULT;
	unsigned long long bit = 1ull << (sig - 1);
	enum sig_disp d = DISP_DEFAULT;
	if (status_mask(text, "SigCgt:") & bit)
		d = DISP_HANDLER;
	else if (status_mask(text, "SigIgn:") & bit)
		d = DISP_IGNORE;
	free(text);
	return d;
}

bool sig_pending(pid_t tid, int sig)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	char *text = read_file(path, NULL);
	if (!text)
		return false;
	unsigned long long bit = 1ull << (sig - 1);
	bool p = ((status_mask(text, "SigPnd:") | status_mask(text, "ShdPnd:")) & bit) != 0;
	free(text);
	return p;
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
