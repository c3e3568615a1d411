/* record_int.h -- state shared by the recorder's files. */
#ifndef SCRIBE_RECORD_INT_H
#define SCRIBE_RECORD_INT_H

#include <sched.h>

#include <signal.h>
#include <sys/ptrace.h>

#include "preload/ldstub.h"
#include "core/files.h"
#include "core/ptrace.h"
#include "core/tracee.h"
#include "core/worker.h"
#include "record/record.h"
#include "trace/event.h"
#include "trace/trace.h"

struct sysdesc;

/* Shared by all tracer threads; each thread's own tasks are in
 * self->t (worker.h). */
struct recorder {
	const struct record_opts *opts;
	struct trc_writer *w;
	struct workers ws;
	pthread_mutex_t mu;          /* files, warned, shared objects */
	pthread_mutex_t sched_mu;    /* every domain's and group's sched */
	struct shobj *shobjs;        /* shared objects mapped (record_share.c) */
	int nshobjs;
	uint32_t ngroups;
	struct files *files;
	struct buf warned;           /* NUL-separated names already warned */
	pid_t root;
	bool root_done;
	int root_status;
	cpu_set_t orig_affinity;     /* what the program would see unpinned */
	uint64_t out_dev[2], out_ino[2]; /* our stdout and stderr (record_buffer.c) */
	bool ldstub;                 /* the loader stub at each exec (preload/ldstub.h) */
	bool cpuid_fault;            /* tracees' cpuid is trapped (core/cpu.h) */
	struct sb_mapid ld_known[LD_NKNOWN];  /* files kept from its maps (under mu) */
	unsigned ld_known_next;
	uint32_t ntasks_total;       /* atomic */
	uint32_t ndomains;           /* atomic: next domain id */
	pthread_mutex_t out_mu;      /* one write to our stdout or stderr in
	                                the kernel at a time (record_syscall.c) */
	uint64_t outseq;             /* under out_mu: outputs re-emitted on replay */
	bool shared_in_vm;           /* atomic: a process sharing its address
	                                space mapped something shared: every
	                                fork must read the maps (record_task.c) */
	struct proclog *procs;       /* every process seen, for `scribe info` */
	int nprocs;
};

/* One process of the recording (under r->mu). */
struct proclog {
	pid_t pid, ppid;
	char *cmd;
	int status;
	bool ended;
};
void rec_proc_started(struct recorder *r, pid_t pid, pid_t ppid);
void rec_proc_exec(struct recorder *r, pid_t pid, const struct ev_exec *x);
void rec_proc_ended(struct recorder *r, pid_t pid, int status);

/* The file store is shared by the tracer threads. */
int rec_store_path(struct recorder *r, const char *path, const struct stat *known, bool exec,
                   uint64_t *hash);

/* Append an event to the task's domain stream; dies cleanly if the trace
 * cannot be written. */
void rec_emit(struct recorder *r, struct task *t, const struct event *ev);
/* Dispatch one stop of a task that holds (or just got) its domain. */
void rec_handle_stop(struct recorder *r, struct task *t, int status);
/* What the worker loop does with a wait status of one of its tasks. */
void rec_dispatch(struct recorder *r, struct task *t, int status);
/* A second SIGTERM ends the recording (record.c). */
void rec_check_sigterms(void);

/* record_sched.c */
void rec_acquire(struct recorder *r, struct task *t);
void rec_release(struct recorder *r, struct task *t);
/* True if t may go on now; otherwise it is parked with this stop. */
bool rec_take_domain(struct recorder *r, struct task *t, int status);
/* Park t with this stop and, if it holds its domain, pass it on. */
void rec_park_release(struct recorder *r, struct task *t, int status);
/* t, parked, may have the domain now (it was in a group-stop): give it
 * the domain if nobody holds it. */
void rec_offer(struct recorder *r, struct task *t);
/* t is gone: pass its domain on, free it. */
void rec_forget_task(struct recorder *r, struct task *t);
/* Does t hold its domain (and does someone wait for it)? */
bool rec_holds(struct recorder *r, struct task *t, bool *contended);

/* record_jobctl.c: group-stops (SIGSTOP, SIGTSTP...) in a domain */
enum kick {
	KICK_NONE,
	KICK_RUNNING,      /* resumed, to trap before user space */
	KICK_LISTEN,       /* in the group-stop (PTRACE_LISTEN) */
	KICK_STOPPED,      /* trapped out of it: may have the domain */
};
/* Does t share its domain (so a stop must let the domain go)? */
bool rec_stop_shared(const struct task *t);
/* A SIGCONT reached the process: stop signals held in it are dropped. */
void rec_cont_seen(struct process *p);
/* Was t's held stop signal cancelled by a SIGCONT sent since?  Then it
 * is dropped, and true. */
bool rec_held_stop_cancelled(struct task *t);
/* The holder entered a group-stop. */
void rec_group_stop(struct recorder *r, struct task *t);
/* Let a parked task of this thread enter its process' group-stop. */
void rec_kick(struct task *t);
/* A stop of a kicked task: true if handled here. */
bool rec_kicked_stop(struct recorder *r, struct task *t, int status);

/* record_share.c */
/* A task mapped the shared object (dev, ino); *objno gets its number.
 * Returns true if the task must now wait for the group it joined. */
bool rec_shared_object(struct recorder *r, struct task *t, uint64_t dev, uint64_t ino,
                       bool writable, uint32_t *objno, struct event *join_ev);

/* record_preempt.c */
uint64_t task_cpu_ns(pid_t tid);
void rec_tick(struct recorder *r);
void rec_preempt_stop(struct recorder *r, struct task *t);
void rec_task_exited(struct recorder *r, struct task *t, int status);

static inline void rec_cont(struct task *t, int sig)
{
	pt_cont(t->tid, sig);
	t->user_running = true;
}

/* record_task.c */
void rec_new_task(struct recorder *r, struct task *parent, int event);
void rec_emit_new_task(struct recorder *r, struct task *parent);
/* Warn once per key (an unsupported syscall or ioctl). */
void rec_warn_once(struct recorder *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* record_syscall.c */
void rec_syscall_entry(struct recorder *r, struct task *t);
void rec_syscall_exit(struct recorder *r, struct task *t);
void rec_syscall_finish_exec(struct recorder *r, struct task *t);
void rec_syscall_exit_late(struct recorder *r, struct task *t,
                           const struct user_regs_struct *regs);

/* record_late.c: calls whose result is collected at the next stop */
/* May t's call (at its seccomp stop) run without an exit stop? */
bool rec_late_ok(const struct task *t, const struct sysdesc *d);
/* Let it run so; the result is kept in the task's GS base meanwhile. */
void rec_late_start(struct task *t);
/* At any stop of a task with such a call: emit the call's event, put the
 * task's registers back as a plain exit would have left them. */
void rec_late_finish(struct recorder *r, struct task *t);
/* The task died: its pending call, if any, is dropped. */
void rec_late_drop(struct task *t);

/* record_signal.c */
void rec_signal_stop(struct recorder *r, struct task *t, int sig);
/* An async signal was held back: deliver it now, at this syscall entry. */
void rec_deliver_held(struct recorder *r, struct task *t);
/* The task's held signal is blocked now (a buffered call changed the
 * mask): it is handed back to the kernel, not delivered; true then. */
bool rec_held_now_blocked(struct task *t);

/* record_buffer.c: the preload library's syscall buffer */
/* Write the records in the task's buffer as an EV_BUF event, right before
 * an event of this task. */
void rec_sb_flush(struct recorder *r, struct task *t);
/* Note which files our stdout and stderr are, for every slot's header. */
void rec_sb_outputs(struct recorder *r);
/* The header of the loader stub's slot for t, or NULL without the stub. */
const struct sb_hdr *rec_sb_ld_header(struct recorder *r, struct task *t, struct sb_hdr *h);
/* Tell the stub just set up in t which files need no flush (LD_KNOWN). */
void rec_sb_ld_known(struct recorder *r, struct task *t);
/* Ask the library for a stop (SB_SYS_SYNC) when its current call ends. */
void rec_sb_want_sync(struct task *t, bool on);
/* The library's call to scribe t is stopped at (SC_SCRIBE rows). */
void rec_sb_call(struct recorder *r, struct task *t, long nr);
/* Answer the call t is stopped at with `ret`, without running it. */
void rec_answer(struct recorder *r, struct task *t, long ret);

/* record_exec.c */
void rec_exec(struct recorder *r, struct task *t);

#endif
