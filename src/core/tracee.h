/* tracee.h -- the tracer's view of processes and tasks (threads).
 *
 * Both record and replay keep one `struct task` per live tracee thread and
 * one `struct process` per thread group; the fields below the markers are
 * used by one side only. */
#ifndef SCRIBE_TRACEE_H
#define SCRIBE_TRACEE_H

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "core/util.h"
#include "trace/event.h"
#include "trace/trace.h"

struct task;
struct worker;

/* Who may run: one holder at a time, the others parked in order.  A
 * domain has its own; domains that came to share memory after they were
 * created (a shm object mapped by both) share one while recording, under
 * its lock, since their tasks may live in different tracer threads. */
struct sched {
	pthread_mutex_t mu;
	struct task *holder;       /* the task allowed to run, or NULL */
	struct task *last;         /* the previous holder (EV_SWITCH events) */
	bool switch_due;           /* record --chaos: the next acquisition has
	                              its EV_SWITCH even by `last` */
	struct task *waitq;        /* parked tasks waiting for the domain */
	bool grouped;              /* shared by several domains */
	uint32_t group;            /* then: the group's id */
	uint64_t seq;              /* then: acquisitions so far */
	struct worker *busy_on;    /* record: the worker whose `nbusy` counts
	                              this sched while it has a holder */
};

/* A memory domain: tasks that share writable memory.  Inside a domain one
 * task runs at a time (the holder); each domain has its own event stream,
 * and different domains run, and replay, independently. */
struct domain {
	uint32_t id;
	struct sched own, *s;      /* s = &own, or a group's while recording */
	int ntasks;

	/* record */
	struct trc_stream *stream;

	/* replay: group membership (EV_JOIN), the stream and a lookahead of
	 * two decoded events */
	bool grouped;
	uint32_t group;
	struct trc_reader *rd;
	struct event ev[2];
	uint64_t idx[2];
	int nev;
	enum trc_read_status end;
	bool held;                 /* parked by a run to a bookmark ... */
	uint32_t held_gen;         /* ... of this resume (replay_bookmark.c) */

	struct domain *next;
};

struct process {
	pid_t pid;                 /* real tgid */
	uint32_t rec_pid;          /* tgid when recorded */
	int memfd;                 /* /proc/PID/mem, reopened at each exec */
	int ntasks;
	bool execed;               /* has run the program's first exec */
	bool need_page;            /* exec'd: map the scribe page at the next stop */
	bool has_shared;           /* record: has mapped something shared and
	                              writable since its exec (or its parent
	                              had, before fork) */
	bool has_shared_ro;        /* ... shared and read-only */
	bool jobstop;              /* record: a group-stop (SIGSTOP...) under
	                              way: its tasks that park are let into it */
	uint32_t stop_gen;         /* record: group-stops begun so far */
	bool own_filter;           /* record: has a seccomp filter of its own
	                              (core/filter.c): no syscall buffer */
	bool vm_shared;            /* record: shares its address space with
	                              another process (CLONE_VM, vfork) */
	struct dirty *dirty;       /* record: the pages it wrote (core/dirty.h),
	                              from its first thread or snapshot on */
	bool dirty_off;            /* record: never track them (unavailable, or
	                              the program has a userfaultfd of its own) */
	int fdinfo_dir;            /* record: /proc/PID/fdinfo open, + 1 (0: not
	                              yet): record_fdstate.c's */
	uint8_t fd_append[64];     /* record: fd N has O_APPEND (2), has not (1),
	                              not known (0): record_fdstate.c's cache,
	                              forgotten at any call that may change it */
	/* record: signals scribe sent back to the kernel (held ones now
	 * blocked, the rest of a held queue, a parked task's), to be given
	 * their own siginfo again where they are taken (record_signal.c) */
	struct resent {
		siginfo_t info;
		bool to_thread;
	} *resent;
	size_t nresent, cap_resent;
	/* replay: descriptors the process holds on the trace's copies of the
	 * files it maps (opened close-on-exec, so dropped at each exec) */
	struct mapfd {
		uint64_t hash;
		int fd;
	} *mapfds;
	int nmapfds;
	bool altstack;             /* replay: a thread set a sigaltstack (per
	                              thread: a checkpoint cannot recreate it) */
	bool live_checked, live_done, live_defer;  /* replay_golive.c's marks */
	struct process *next;
};

struct task {
	pid_t tid;                 /* real tid */
	uint32_t rec_tid;          /* tid when recorded */
	struct process *proc;
	struct domain *dom;
	struct worker *owner;      /* the tracer thread that traces it */
	struct user_regs_struct regs;  /* registers at the current stop */
	bool started;              /* past its first (attach) stop */
	bool unannounced;          /* record: a thread whose creator's clone has
	                              not returned yet (no EV_TASK) */
	bool dead;                 /* its exit was collected (replay: awaiting
	                              its EV_EXIT in the stream) */
	bool exit_expected;        /* replay: its EV_EXIT came first (a sibling
	                              killed it); exit_status is the recorded one */
	int exit_status;
	bool parked;               /* stopped, waiting for its domain */
	bool live, live_entry;     /* went live (detached); was at a call's entry */
	int parked_status;         /* the wait status of that stop */
	struct task *wnext;        /* next in the domain's wait queue */
	struct task *outwait_next;  /* replay: waiting for its output's turn */
	uint64_t settid_addr;      /* replay: where the kernel wrote the real tid
	                              (CLONE_CHILD_SETTID), to be patched */
	uint64_t clone_rdi;        /* replay: the flags its creator's clone
	                              passed, put back at its first stop when
	                              replay dropped their namespace flags */
	uint64_t sb;               /* its syscall-buffer slot (core/slot.h), or 0 */
	uint32_t sb_shgen;         /* record: the shared objects its slot lists
	                              (recorder's shgen when written) */
	bool sb_loaded;            /* replay: records were put in it to answer */
	uint32_t sb_nrec;          /* ... this many */
	uint64_t ctl_events;       /* replay session: event boundaries it passed
	                              (a debugger's clock: replay_debug.c) */

	/* record */
	bool in_syscall;           /* resumed to the exit stop of `ev` */
	bool out_numbered;         /* ev writes our output and has its number */
	bool late;                 /* resumed past the call of `ev` with no exit
	                              stop (record_late.c) */
	uint64_t late_gs;          /* its GS base, kept meanwhile */
	bool regs_fresh;           /* regs were read at this stop already */
	struct event ev;           /* the syscall being recorded */
	struct buf cap;            /* bytes captured for ev */
	struct ev_region *regions;
	uint32_t nregions;
	size_t cap_regions;
	struct buf inprefix;
	bool released;             /* in a blocking syscall, domain released */
	bool new_child;            /* the call in flight created a task: */
	uint32_t new_child_tid;    /* its EV_TASK, written after the call's */
	uint32_t new_child_dom;
	uint64_t new_child_flags;
	bool after_syscall;        /* resumed from a syscall exit just now */
	struct user_regs_struct exit_regs;
	bool held;                 /* an async signal held for the next syscall */
	siginfo_t held_info;       /* the first held, the rest in hq (FIFO) */
	siginfo_t *hq;
	size_t nhq, cap_hq;
	int nest_sig;              /* record: it was let go into this signal's
	                              handler; a signal taken before the
	                              handler ran is nested in it */
	bool has_affinity;         /* record: the mask it set (not enforced) */
	cpu_set_t affinity;
	bool user_running;         /* resumed into user code (not a syscall) */
	uint64_t slice_cpu0;       /* CPU time when its current slice began */
	uint64_t chaos_slice_ns;   /* record --chaos: this slice's length */
	uint32_t chaos_prio;       /* record --chaos: its priority (0: none yet) */
	bool chaos_delayed;        /* record --chaos: parked at this syscall
	                              entry once already */
	bool slice_over;           /* its slice ran out as it reached a stop:
	                              it lets the domain go at its next call */
	uint64_t held_since_ns;    /* holding its contended domain since */
	int busy_probes;           /* slices it could not be preempted in */
	bool preempting;           /* PTRACE_INTERRUPT sent */
	bool stray_interrupt;      /* ... but it stopped elsewhere first */
	uint64_t held_since;       /* when the held signal arrived */
	long restart_nr;           /* last syscall that returned a restart code */
	uint64_t restart_args[6];
	/* job control (record_jobctl.c) */
	uint8_t kick;              /* enum kick: parked, let into a group-stop */
	uint32_t kick_gen;         /* its process' stop_gen when kicked */
	bool stop_exact;           /* a stop signal injected at a point replay
	                              can find (syscall entry, signature) */

	/* both: a signal scribe sent itself is on its way; give it this
	 * siginfo at its delivery stop */
	bool made_thread;          /* record: its call just made the first
	                              thread of a process (core/dirty.h) */
	bool injecting;
	siginfo_t inject_info;

	/* replay */
	int rx;                        /* enum rp_exit: what the exit stop does */
	struct user_regs_struct entry; /* registers at the syscall entry */
	int64_t rx_ret;
	bool rx_fixret;
	/* The bytes a call hands to the kernel, read when the task stopped
	 * at its entry: it let the domain go there when recording, so its
	 * siblings run (and may change that memory) before its event. */
	bool in_early;
	uint64_t in_hash, in_total;
	struct buf in_bytes;
	/* replay, for checkpoints (replay_ckpt.c): its clear_child_tid
	 * (CLONE_CHILD_CLEARTID, set_tid_address), which a thread recreated
	 * by an injected clone must get back */
	uint64_t cleartid;

	struct task *next;
};

struct tracees {
	struct task *tasks;
	struct process *procs;
	struct domain *doms;
	int ntasks;
	uint32_t ndomains;         /* domains created so far (ids 0..n-1) */
	/* stops of tasks not known yet: a new child can report its first stop
	 * before its parent reports the fork */
	struct early { pid_t tid; int status; } *early;
	int nearly;
};

struct process *proc_new(struct tracees *t, pid_t pid, uint32_t rec_pid);
void proc_reopen_mem(struct process *p);
struct task *task_new(struct tracees *t, struct process *p, pid_t tid, uint32_t rec_tid);
struct domain *domain_new(struct tracees *t, uint32_t id);
struct domain *domain_find(struct tracees *t, uint32_t id);
void task_set_domain(struct task *task, struct domain *d);
/* Park a task at a stop until its domain is free; pop the first parked. */
void domain_park(struct domain *d, struct task *t, int status);
struct task *domain_unpark(struct domain *d);
void domain_unpark_task(struct domain *d, struct task *t);
/* Remember / take back the first stop of a task we do not know yet. */
void early_add(struct tracees *t, pid_t tid, int status);
bool early_take(struct tracees *t, pid_t tid, int *status);
/* Does the process have a writable MAP_SHARED mapping (shared with its
 * children across fork)? */
bool proc_has_shared_writable(pid_t pid);
struct task *task_find(struct tracees *t, pid_t tid);
/* Forget a task that has been reaped; frees its process with the last. */
void task_free(struct tracees *t, struct task *task);
/* Move a task, with the process and domain it alone uses, from one
 * table to another (a handover between tracer threads). */
void tracees_unlink(struct tracees *t, struct task *task);
void tracees_link(struct tracees *t, struct task *task);
/* SIGKILL every live tracee (used on errors and interrupts). */
void tracees_kill_all(struct tracees *t);

/* If the task stopped with SIGSEGV on a cpuid instruction (CPUID faulting,
 * page.c), answer it with cpu_cpuid_seen and step past it.  Nothing is
 * recorded: replay answers the same way on the same CPU (cpu_signature). */
bool task_emulate_cpuid(struct task *t);

/* Memory helpers bound to a task's process. */
long task_read(struct task *t, uint64_t addr, void *buf, size_t len);
int task_write(struct task *t, uint64_t addr, const void *buf, size_t len);

#endif
