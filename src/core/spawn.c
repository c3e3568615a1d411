/* spawn.c -- fork the program to record or replay, with ptrace attached
 * before it runs a single instruction of its own. */
#include "core/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ptrace.h"
#include "core/seccomp.h"
#include "core/util.h"

#define NSIG_BITS 64

uint64_t spawn_ignored_signals(void)
{
	uint64_t bits = 0;
	for (int sig = 1; sig <= NSIG_BITS; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			bits |= 1ull << (sig - 1);
	}
	return bits;
}

uint64_t spawn_blocked_signals(void)
{
	sigset_t set;
	uint64_t bits = 0;
	sigprocmask(SIG_BLOCK, NULL, &set);
	for (int sig = 1; sig <= NSIG_BITS; sig++)
		if (sigismember(&set, sig) == 1)
			bits |= 1ull << (sig - 1);
	return bits;
}

/* Handled signals become default at exec; ignored ones and the mask stay.
 * (glibc refuses its two internal signals, 32 and 33: they are never
 * ignored or blocked in a program it starts.) */
static void set_signals(uint64_t ignored, uint64_t blocked)
{
	sigset_t mask;
	sigemptyset(&mask);
	for (int sig = 1; sig <= NSIG_BITS; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		struct sigaction sa = {0};
		sa.sa_handler = ignored >> (sig - 1) & 1 ? SIG_IGN : SIG_DFL;
		sigaction(sig, &sa, NULL);
		if (blocked >> (sig - 1) & 1)
			sigaddset(&mask, sig);
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

/* Set when the program's group was made the terminal's foreground. */
static volatile int tty_given;

/* tcsetpgrp from a background group raises SIGTTOU unless it is ignored
 * (or blocked): a shell ignores it; we do for the call's length. */
static void tty_set_foreground(pid_t pgid)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGTTOU, &ign, &old);
	tcsetpgrp(STDIN_FILENO, pgid);
	sigaction(SIGTTOU, &old, NULL);
}

static void tty_give(pid_t pgid)
{
	if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
		return;
	tty_set_foreground(pgid);
	tty_given = tcgetpgrp(STDIN_FILENO) == pgid;
}

void spawn_tty_back(void)
{
	if (tty_given)
		tty_set_foreground(getpgrp());
}

void spawn_tty_again(pid_t pgid)
{
	if (tty_given && tcgetpgrp(STDIN_FILENO) == getpgrp())
		tty_set_foreground(pgid);
}

bool spawn_tty_given(void)
{
	return tty_given;
}

/* Everything here runs between fork and exec: async-signal-safe only. */
static _Noreturn void child(const struct spawn *s, int go_fd, int err_fd)
{
	int e = 0;
	char c;
	setpgid(0, 0);
	if (s->set_signals)
		set_signals(s->sig_ignored, s->sig_blocked);
	if (personality(0xffffffff) >= 0)
		personality(personality(0xffffffff) | ADDR_NO_RANDOMIZE);
	if (s->cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(s->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	if (s->stack)
		setrlimit(RLIMIT_STACK, s->stack);
	if (s->no_core) {
		struct rlimit z = { 0, 0 };
		setrlimit(RLIMIT_CORE, &z);
	}
	if (s->dir && chdir(s->dir) < 0)
		goto fail;
	/* Above 2 first: a stdio[] of 0-2 must not be closed by a dup2. */
	int tmp[3];
	for (int i = 0; s->set_stdio && i < 3; i++)
		if ((tmp[i] = fcntl(s->stdio[i], F_DUPFD_CLOEXEC, 3)) < 0)
			goto fail;
	for (int i = 0; s->set_stdio && i < 3; i++)
		if (dup2(tmp[i], i) < 0)
			goto fail;
	/* Wait until the tracer holds us; EOF means scribe died first. */
	if (read(go_fd, &c, 1) != 1)
		_exit(EXIT_SCRIBE);
	close(go_fd);
	/* A library caller's stdio[] are the program's only fds: none of the
	 * caller's other descriptors leak into it (as subprocess's
	 * close_fds); closed at the exec, so errors can still be reported. */
	if (s->set_stdio)
		syscall(SYS_close_range, 3, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
	/* rdtsc/rdtscp now fault with SIGSEGV; the setting survives exec. */
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0)
		goto fail;
	if (!s->no_filter && seccomp_install() < 0)
		goto fail;
	execve(s->path, s->argv, s->envp);
fail:
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0) {
		/* nothing left to report to */
	}
	_exit(e == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

pid_t spawn_traced(const struct spawn *s, int *errfd)
{
	int go[2], err[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		err_set("pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		err_set("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(go[1]);
		close(err[0]);
		child(s, go[0], err[1]);
	}
	close(go[0]);
	close(err[1]);
	/* Both sides, as a shell does: whichever runs first, the group
	 * exists before the terminal is handed to it and before exec. */
	setpgid(pid, pid);
	if (s->take_tty)
		tty_give(pid);
	if (pt_seize(pid, PT_OPTIONS) < 0) {
		err_set("cannot trace the program (ptrace: %s)%s", strerror(errno),
		        errno == EPERM ? "; is ptrace allowed here (yama ptrace_scope, seccomp)?" : "");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		close(go[1]);
		close(err[0]);
		spawn_tty_back();
		return -1;
	}
	if (write(go[1], "g", 1) != 1) {
		err_set("cannot start the program: %s", strerror(errno));
		kill(pid, SIGKILL);
		spawn_tty_back();
		return -1;
	}
	close(go[1]);
	*errfd = err[0];
	return pid;
}

static int check_exec(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode) || access(path, X_OK) < 0) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

char *spawn_resolve(const char *prog, int *status)
{
	if (strchr(prog, '/')) {
		if (check_exec(prog) == 0)
			return xstrdup(prog);
		int e = errno;
		*status = e == ENOENT || e == ENOTDIR ? EXIT_NOTFOUND : EXIT_NOEXEC;
		err_set("%s: %s", prog, strerror(e));
		return NULL;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	bool seen_eacces = false;
	char *copy = xstrdup(path), *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", *d ? d : ".", prog);
		if (check_exec(cand) == 0) {
			free(copy);
			return cand;
		}
		if (errno == EACCES)
			seen_eacces = true;
		free(cand);
	}
	free(copy);
	if (seen_eacces) {
		*status = EXIT_NOEXEC;
		err_set("%s: Permission denied", prog);
	} else {
		*status = EXIT_NOTFOUND;
		err_set("%s: command not found", prog);
	}
	return NULL;
}

int spawn_pick_cpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	int cpu = sched_getcpu();
	if (cpu >= 0 && CPU_ISSET(cpu, &set))
		return cpu;
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			return i;
	return -1;
}

void spawn_pin_self(int cpu)
{
	if (cpu < 0)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}
