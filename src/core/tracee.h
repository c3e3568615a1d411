/* tracee.h -- the tracer's view of processes and tasks (threads).
 *
 * Both record and replay keep one `struct task` per live tracee thread and
 * one `struct process` per thread group; the fields below the markers are
 * used by one side only. */
#ifndef SCRIBE_TRACEE_H
#define SCRIBE_TRACEE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "core/util.h"
#include "trace/event.h"

struct process {
	pid_t pid;                 /* real tgid */
	uint32_t rec_pid;          /* tgid when recorded */
	int memfd;                 /* /proc/PID/mem, reopened at each exec */
	int ntasks;
	bool execed;               /* has run the program's first exec */
	struct process *next;
};

struct task {
	pid_t tid;                 /* real tid */
	uint32_t rec_tid;          /* tid when recorded */
	struct process *proc;
	struct user_regs_struct regs;  /* registers at the current stop */
	bool exited;

	/* record */
	bool in_syscall;           /* resumed to the exit stop of `ev` */
	struct event ev;           /* the syscall being recorded */
	struct buf cap;            /* bytes captured for ev */
	struct ev_region *regions;
	uint32_t nregions, cap_regions;
	struct buf inprefix;
	bool after_syscall;        /* resumed from a syscall exit just now */
	struct user_regs_struct exit_regs;
	bool held;                 /* an async signal held for the next syscall */
	siginfo_t held_info;
	long restart_nr;           /* last syscall that returned a restart code */
	uint64_t restart_args[6];

	/* both: a signal scribe sent itself is on its way; give it this
	 * siginfo at its delivery stop */
	bool injecting;
	siginfo_t inject_info;

	/* replay */
	int rx;                        /* enum rp_exit: what the exit stop does */
	struct user_regs_struct entry; /* registers at the syscall entry */
	int64_t rx_ret;
	bool rx_fixret;

	struct task *next;
};

struct tracees {
	struct task *tasks;
	struct process *procs;
	int ntasks;
};

struct process *proc_new(struct tracees *t, pid_t pid, uint32_t rec_pid);
void proc_reopen_mem(struct process *p);
struct task *task_new(struct tracees *t, struct process *p, pid_t tid, uint32_t rec_tid);
struct task *task_find(struct tracees *t, pid_t tid);
/* Forget a task that has been reaped; frees its process with the last. */
void task_free(struct tracees *t, struct task *task);
/* SIGKILL every live tracee (used on errors and interrupts). */
void tracees_kill_all(struct tracees *t);

/* Memory helpers bound to a task's process. */
long task_read(struct task *t, uint64_t addr, void *buf, size_t len);
int task_write(struct task *t, uint64_t addr, const void *buf, size_t len);

#endif
