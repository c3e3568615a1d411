/* record_int.h -- state shared by the recorder's files. */
#ifndef SCRIBE_RECORD_INT_H
#define SCRIBE_RECORD_INT_H

#include <sched.h>

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/utsname.h>

#include "preload/ldstub.h"
#include "core/files.h"
#include "core/ptrace.h"
#include "core/tracee.h"
#include "core/watch.h"
#include "core/worker.h"
#include "record/record.h"
#include "trace/event.h"
#include "trace/trace.h"

struct sysdesc;

/* Stop requests (record_interrupt.c), written by signal handlers too. */
struct rec_intr {
	pid_t root;                  /* atomic: where signals are passed on */
	int nstops, first_sig;       /* atomic */
	uint64_t first_ns;           /* atomic: when the first came */
	bool stopping;               /* atomic: the stop has begun */
	uint64_t stopping_ns;
	char why[512];               /* why it stopped (set once, stopping) */
};

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
	uint32_t shgen;              /* atomic: bumped with each new shared object */
	uint32_t ngroups;
	struct files *files;
	struct buf warned;           /* NUL-separated names already warned */
	pid_t root;
	bool root_done;
	int root_status;
	cpu_set_t orig_affinity;     /* what the program would see unpinned */
	uint64_t out_dev[2], out_ino[2]; /* our stdout and stderr (record_buffer.c) */
	bool ldstub;                 /* the loader stub at each exec (preload/ldstub.h) */
	struct sb_mapid ld_known[LD_NKNOWN];  /* files kept from its maps (under mu) */
	unsigned ld_known_next;
	uint32_t ntasks_total;       /* atomic */
	char *fds_text;              /* HDR_FDS: the first process's fds at its
	                                first exec (under mu) */
	size_t fds_len;
	struct trc_header *hdr;      /* the header written first (record_run's),
	                                written again with HDR_FDS at that exec */
	uint32_t ndomains;           /* atomic: next domain id */
	pthread_mutex_t out_mu;      /* one write to our stdout or stderr in
	                                the kernel at a time (record_syscall.c) */
	uint64_t outseq;             /* under out_mu: outputs re-emitted on replay */
	bool shared_in_vm;           /* atomic: a process sharing its address
	                                space mapped something shared: every
	                                fork must read the maps (record_task.c) */
	struct proclog *procs;       /* every process seen, for `scribe info` */
	int nprocs;
	uint64_t nstops;             /* atomic: stops handled (record_watch.c) */
	struct watch watch;          /* the watchdog (record_watch.c) */
	long njobstop;               /* atomic: processes in a group-stop */
	uint64_t busy;               /* atomic: bit N, worker N handles a stop */
	struct rec_bm *bm;           /* bookmarks (record_bookmark.c) */
	struct rec_intr intr;
	int out_fd[2];               /* our fds that are the program's stdout
	                                and stderr (its outputs, replayed) */
	struct utsname uts;          /* the header's kernel and host */
	char failed[1024];           /* a tracer thread's fatal() (library) */
	bool fail_set;               /* atomic: failed is written */
	uint64_t chaos_rng;          /* atomic: chaos mode's generator state */
	struct owed {                /* per worker: its task whose signal was */
		uint64_t since;      /* held back the longest, while it ran */
		pid_t tid;           /* (record_watch.c; atomic, 0: none) */
		int sig;
		uint64_t seen, cpu0; /* the watchdog's own: that since, seen */
	} owed[MAX_WORKERS];         /* first with the task's CPU time then */
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

/* record_bookmark.c: the control socket TRACE/control (a thread of its
 * own from start to stop) and the program's own bookmarks. */
int rec_bm_start(struct recorder *r);
void rec_bm_stop(struct recorder *r);
/* Remove the socket (a recording that fails: fatal's cleanup). */
void rec_bm_unlink(struct recorder *r);
/* rec_emit wrote ev as event `at` of t's stream: a bookmark it sets? */
void rec_bm_event(struct recorder *r, struct task *t, const struct event *ev, uint64_t at);
/* Dispatch one stop of a task that holds (or just got) its domain. */
void rec_handle_stop(struct recorder *r, struct task *t, int status);
/* What the worker loop does with a wait status of one of its tasks. */
void rec_dispatch(struct recorder *r, struct task *t, int status);

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

/* record_interrupt.c: SIGTERM, SIGHUP, SIGINT and SIGQUIT sent to scribe */
/* Pass them on to the program whose first process is root, from now on
 * (until rec_signals_end). */
void rec_signals_start(struct recorder *r, pid_t root);
void rec_signals_end(struct recorder *r);
/* A signal sent to the caller, passed on (async-signal-safe). */
void rec_signal(struct recorder *r, int sig);
/* Each tracer thread calls this often: once a stop was asked for and the
 * program did not end in time, it kills the thread's tasks (r->intr.why
 * says why; fatal if they do not die). */
void rec_check_interrupt(struct recorder *r);
/* Stop the recording now, for the reason why (the watchdog): as if the
 * program had not ended after SIGTERM. */
void rec_interrupt(struct recorder *r, const char *why);
/* True once the recording is being stopped: no more events are written. */
bool rec_interrupted(struct recorder *r);
/* t entered a group-stop of signal sig: if it is the program's first
 * process and it has the terminal, stop scribe too, as a shell's job. */
void rec_job_stopped(struct recorder *r, struct task *t, int sig);

/* record_watch.c: the watchdog; watch_stop(&r->watch) ends it */
void rec_watch_start(struct recorder *r);
/* p enters (on) or leaves a group-stop. */
void rec_jobstop(struct recorder *r, struct process *p, bool on);
/* At each tick of a tracer thread: tell the watchdog of a signal held back
 * from one of its running tasks. */
void rec_watch_tick(struct recorder *r);

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
/* Tell t's syscall buffer the files mapped shared so far, if it does not
 * know them all (its writes to them are then traced: sbuf.h). */
void rec_share_tell(struct recorder *r, struct task *t);
/* The entry of a write (write, pwrite64, writev, pwritev) or ftruncate:
 * if its descriptor's file is a shared object, the event names it, and
 * true: the call needs its exit stop (not collected late: by then the
 * descriptor may be another file's). */
bool rec_shared_fd_entry(struct recorder *r, struct task *t);
/* Its exit: a successful one names the object (and for a write, the file
 * offset it began at), so replay changes its copy too, and joins the
 * task's domain to those that map the object.  True if the task must now
 * wait for the group (as rec_shared_object). */
bool rec_shared_fd_exit(struct recorder *r, struct task *t, struct event *join);
/* Is (dev, ino) a shared object already?  Then *objno is its number. */
bool rec_shared_known(struct recorder *r, uint64_t dev, uint64_t ino, uint32_t *objno);

/* record_preempt.c */
uint64_t task_cpu_ns(pid_t tid);
void rec_tick(struct recorder *r);
void rec_preempt_stop(struct recorder *r, struct task *t);
/* t, at a signal stop in user code, holds a signal that waited long
 * enough for a signature: look for one here, as rec_preempt_stop does at
 * an interrupt's stop.  False (nothing done) if it is not due yet. */
bool rec_preempt_here(struct recorder *r, struct task *t);
/* At the creating thread's clone exit stop, the process's first other
 * thread made: start tracking the pages it writes from this point, which
 * replay reaches with the same memory (core/dirty.h).  False, with the
 * status in *stop, when a stop of the task's own came first. */
bool rec_dirty_baseline(struct recorder *r, struct task *t, int *stop);
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
/* Async signals were held back: deliver the first now, at this syscall
 * entry (the rest follow at its delivery stop, nested if they may be). */
void rec_deliver_held(struct recorder *r, struct task *t);
/* The held signals the task has blocked since (a buffered call changed
 * the mask) are handed back to the kernel, not delivered; true if none is
 * held now. */
bool rec_held_now_blocked(struct task *t);
/* The first held signal is gone (delivered): the next takes its place. */
void rec_held_pop(struct task *t);
/* Drop every held stop signal (a SIGCONT came). */
void rec_held_drop_stops(struct task *t);
/* Send a signal back to the kernel, to the thread or its process; where it
 * is taken again it gets its own siginfo back (si). */
void rec_resend(struct task *t, const siginfo_t *si, bool to_thread);

/* record_buffer.c: the preload library's syscall buffer */
/* Write the records in the task's buffer as an EV_BUF event, right before
 * an event of this task. */
void rec_sb_flush(struct recorder *r, struct task *t);
/* record_fdstate.c: append to a batch (out) the state of the fds its
 * buffered calls (recs) touched, as SB_REC_FDSTATE records. */
void rec_fd_facts(struct task *t, const uint8_t *recs, uint32_t len, struct buf *out);
/* A connect or accept that worked: its socket's addresses (SYSF_SOCKNAME);
 * a write to an O_APPEND file: the position after it (SYSF_FDPOS). */
void rec_sockname(struct task *t, struct ev_syscall *s);
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

/* record_chaos.c: randomized scheduling (record --chaos) */
#define CHAOS_TICK_NS (100 * 1000)   /* the tick's period in chaos mode */
/* A random number from the recording's seeded generator (any thread). */
uint64_t rec_chaos_rand(struct recorder *r);
/* The CPU time t may run before it is preempted, drawn for a new slice. */
uint64_t rec_chaos_slice_ns(struct recorder *r);
/* t's priority: of the parked tasks that may have a domain, the one of
 * highest priority gets it (rr's scheme).  Drawn at random when first
 * asked, again by rec_chaos_reprio. */
uint32_t rec_chaos_prio(struct recorder *r, struct task *t);
/* t's slice ended (preempted, or parked at a call): a new priority, so a
 * task cannot keep its domain forever. */
void rec_chaos_reprio(struct recorder *r, struct task *t);
/* At t's syscall entry stop (status): true if chaos mode parked it there,
 * letting a sibling run first (the stop is handled again when t gets its
 * domain back). */
bool rec_chaos_syscall(struct recorder *r, struct task *t, int status);

/* record_exec.c */
void rec_exec(struct recorder *r, struct task *t);

#endif
