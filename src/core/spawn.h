/* spawn.h -- start a program under the tracer, in the conditions record
 * and replay both need: ASLR off, rdtsc trapping, pinned CPU, seccomp. */
#ifndef SCRIBE_SPAWN_H
#define SCRIBE_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct spawn {
	const char *path;          /* passed to execve as is */
	char *const *argv, *const *envp;
	int cpu;                   /* CPU to pin the child to, -1: leave */
	const struct rlimit *stack;/* RLIMIT_STACK to set (fixes mmap_base) */
	bool no_core;              /* RLIMIT_CORE 0: replay writes no files */
	const char *dir;           /* chdir before exec, NULL: stay */
	/* Replay: start with exactly these signals ignored and blocked (bit
	 * N-1: signal N), all others default and unblocked. */
	bool set_signals;
	uint64_t sig_ignored, sig_blocked;
	/* Record: when our stdin is the terminal and we are its foreground,
	 * make the program's group the foreground, as a shell does. */
	bool take_tty;
	/* Replay with PTRACE_SYSEMU: no seccomp filter, which could never be
	 * removed (go-live); the first stop is then the exec's. */
	bool no_filter;
	/* Its fds 0, 1 and 2 become stdio[] (dup2, before exec). */
	bool set_stdio;
	int stdio[3];
};

/* Fork, PTRACE_SEIZE and release the child, in a process group of its
 * own: a program that signals its group (kill(0, SIG), `kill -- -$$`)
 * must reach its own processes, not scribe.  Its first stop is the seccomp
 * stop of its own execve.  If that execve fails, the child writes errno to
 * the pipe returned in *errfd and exits; the caller reads it after the
 * child's exit.  Returns the pid or -1 (with err_set). */
pid_t spawn_traced(const struct spawn *s, int *errfd);

/* The terminal's foreground back to scribe's group, if spawn_traced gave
 * it to the program's, as a shell takes it back when its job ends or
 * stops.  Async-signal-safe. */
void spawn_tty_back(void);
/* Hand it to group PGID again, as a shell's `fg`, if spawn_traced had
 * given it and scribe is the terminal's foreground now (not after `bg`). */
void spawn_tty_again(pid_t pgid);
/* True if the program's group was given the terminal. */
bool spawn_tty_given(void);

/* Resolve PROG like execvp does.  Returns a malloc'd path, or NULL with
 * *status set to 127 (not found) or 126 (not executable) and err_set. */
char *spawn_resolve(const char *prog, int *status);

/* Pick the CPU a tracer and its tracees share: the one we run on now,
 * among those we may use. */
int spawn_pick_cpu(void);
/* Pin the calling thread. */
void spawn_pin_self(int cpu);

/* The signals this process ignores / blocks now, bit N-1 for signal N:
 * what a program spawned now starts with. */
uint64_t spawn_ignored_signals(void);
uint64_t spawn_blocked_signals(void);

#endif
