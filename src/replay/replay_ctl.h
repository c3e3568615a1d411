/* replay_ctl.h -- a replay that stops, is inspected, and goes on: the
 * control side of a libscribe session (src/lib/lib_replay.c is its public
 * face).  The CLI's replay has no control (replayer.ctl == NULL) and
 * behaves as before.
 *
 * One place decides "stop here": rp_ctl_boundary(), called by rp_advance
 * just before the holder of a domain is let go into its next recorded
 * event.  A stop freezes the whole replay: each tracer thread parks itself
 * (its tasks stay in their ptrace stops) at its next boundary, or at the
 * top of its loop after interrupting its running tasks, and serves there
 * the controller's requests for the tasks it traces (ptrace answers only
 * the thread that attached). */
#ifndef SCRIBE_REPLAY_CTL_H
#define SCRIBE_REPLAY_CTL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/hwbp.h"
#include "core/worker.h"

struct replayer;
struct rp_kick;
struct domain;
struct task;
struct event;

/* Why the replay stopped (the numbers are the public SCRIBE_STOP_*). */
enum rp_reason {
	RPS_NONE = 0,
	RPS_START,        /* opened: nothing has run yet */
	RPS_MATCH,        /* the stop condition matched */
	RPS_PAUSED,       /* rp_ctl_pause from another thread */
	RPS_ENDED,        /* every task is gone: the replay is over */
	RPS_DIVERGED,     /* the program departed from the trace */
	RPS_ERROR,        /* any other failure (bad trace, ...) */
	RPS_BREAK,        /* a debugger's breakpoint (replay_debug.c) */
	RPS_STEP,         /* a debugger's single step is done */
	RPS_WATCH,        /* a debugger's watchpoint: the memory changed */
};

/* When to stop: every member set must match (a conjunction).  `any`
 * alone: the next event boundary of any domain. */
struct rp_cond {
	bool set;              /* false: run to the end */
	uint32_t kinds;        /* event kinds (1u << EV_*), 0: any */
	int32_t tid;           /* recorded tid, 0: any */
	int32_t nr;            /* syscall or signal number, -1: any */
	bool at;               /* at or past (stream, index) */
	uint32_t stream;
	uint64_t index;
	bool skip;             /* not at (skip_stream, skip_index): a step
	                          goes past the event it stopped at, which a
	                          task may meet at several stops (exec) */
	uint32_t skip_stream;
	uint64_t skip_index;
	/* a bookmark (replay_bookmark.c), alone: bm_n streams and their
	 * positions, owned by the controller until the next resume */
	bool bm;
	uint32_t bm_n;
	const uint32_t *bm_streams;
	const uint64_t *bm_index;
	uint32_t bm_tid;       /* set by this task (0: from outside) */
	uint32_t bm_origin;    /* ... whose stream this is */
};

/* Where and why it stopped. */
struct rp_stop {
	enum rp_reason reason;
	uint32_t stream;       /* the domain whose boundary matched */
	uint64_t index;        /* its next event's index in its stream */
	int32_t tid;           /* recorded tid of the task at it */
	uint32_t kind;         /* that event's kind (EV_*) */
	int32_t nr;            /* its syscall / signal number, or -1 */
	int status;            /* RPS_ENDED: the program's wait status */
	char expected[256];    /* RPS_DIVERGED: the trace's next event */
	char msg[1024];        /* RPS_DIVERGED / RPS_ERROR: the one line */
	uint64_t addr;         /* RPS_BREAK / RPS_WATCH: the slot's address */
	int slot;              /* ... and which slot (0-based, of rp_dbg) */
	uint64_t tevents;      /* boundaries the task at the stop passed before
	                          it: with its registers, a position */
};

/* A debugger's breakpoints, watchpoints and single step (replay_debug.c):
 * the debug registers DR1-DR3 of every task of process `pid` (recorded;
 * 0: of all). */
struct rp_swbp {
	uint64_t addr;
	int32_t pid;               /* recorded pid of its process */
	uint8_t orig;              /* the byte its int3 replaced */
};
struct rp_dbg {
	struct hwbp_slot slot[HWBP_USER_SLOTS];
	struct rp_swbp *sw;        /* software breakpoints (int3 in the
	                              program's text, hidden from reads) */
	size_t nsw;
	uint8_t last[HWBP_USER_SLOTS][8];  /* a watched range's value when
	                                      last seen (emulated writes are
	                                      found by comparing it) */
	bool watching;             /* some slot is a watchpoint */
	int32_t pid;
	uint32_t gen;              /* bumped at every change */
	int32_t step_tid;          /* recorded tid that single-steps at the
	                              next resume, 0: none */
};

enum rp_req_op { RQ_REGS = 1, RQ_XSAVE, RQ_READ, RQ_WRITE, RQ_CALL, RQ_GOLIVE };

/* A ptrace request for the tracer thread of task `tid` (real tid). */
struct rp_req {
	int op;
	int worker;            /* served by this worker */
	pid_t tid;
	int memfd;
	uint64_t addr;
	void *buf;
	size_t len;
	long ret;              /* bytes, or -errno */
	/* RQ_CALL: run fn(r, arg) on that thread (checkpoints), its result
	 * in ret */
	long (*fn)(struct replayer *r, void *arg);
	void *arg;
	bool done;
	struct rp_req *next;
};

struct rp_ctl {
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* every change: broadcast */
	struct rp_cond cond;
	bool pause;                  /* freeze at the next boundary */
	bool closing;                /* leave: the session is being closed */
	bool ended;                  /* the session thread has finished */
	bool failed;                 /* diverged or error: cannot go on */
	int nin;                     /* tracer threads in their loops */
	int nfrozen;                 /* ... of which frozen */
	int nidle;                   /* ... or idle with no tracee */
	struct rp_stop stop;
	struct rp_req *reqs;
	jmp_buf jb[MAX_WORKERS];     /* where each tracer thread leaves from */
	/* checkpoints (replay_ckpt.c): a restore replaces the tables of
	 * frozen threads, whose stacks hold pointers into the old ones; they
	 * thaw by going back to the top of their loops (rjb), where the
	 * restored holder of `kick` (if any) is let go */
	jmp_buf rjb[MAX_WORKERS];
	bool frozen[MAX_WORKERS];
	bool restart[MAX_WORKERS];
	struct rp_kick *kick[MAX_WORKERS];
	uint64_t restores;           /* restores so far (the controller's) */
	/* what each frozen thread does once thawed (a checkpoint copies
	 * it): let the holder of this domain go (frozen at its boundary),
	 * or handle these stops of tasks it interrupted (at its loop's top) */
	struct domain *at_boundary[MAX_WORKERS];
	struct rp_got { pid_t tid; int status; } *got[MAX_WORKERS];
	int ngot[MAX_WORKERS];
	/* the replayed program's output to fds 1 and 2 */
	void (*out)(void *ctx, int fd, const void *p, size_t n);
	void *out_ctx;
	char *dir;                   /* the trace (the replayer's r->dir) */
	struct rp_dbg dbg;
	bool live;                   /* went live: close leaves the program be */
	pthread_t thread;
	/* runs to a bookmark (replay_bookmark.c) */
	uint32_t gen;                /* resumes so far: held domains go on */
	uint32_t bm_cap;             /* per stream id: */
	uint8_t *bm_arrived;         /* ... parked at its position (this run) */
	uint8_t *bm_ended;           /* ... its stream has ended */
	struct rp_stop bm_last, bm_origin;
	bool bm_origin_seen;
};

/* ---- the engine's side (tracer threads) ---- */

/* rp_advance: the holder h of d is about to be let go into ev.  True:
 * it may not (a run to a bookmark parks d here); rp_advance returns. */
bool rp_ctl_boundary(struct replayer *r, struct domain *d, struct task *h,
                     const struct event *ev);
/* rp_advance: d's stream has no more events. */
void rp_ctl_stream_end(struct replayer *r, struct domain *d);

/* replay_bookmark.c, with c->mu held: d arrives at a boundary (at_event:
 * a stop point); true: hold it there.  It may stop the replay. */
bool rp_bm_boundary(struct replayer *r, struct domain *d, struct task *h,
                    const struct event *ev, bool at_event);
/* d's stream ended: true if that completed the run (the replay stops). */
bool rp_bm_ended(struct replayer *r, struct domain *d);
/* A resume: forget this run's arrivals, let held domains go. */
void rp_bm_resumed(struct rp_ctl *c);
void rp_bm_free(struct rp_ctl *c);
/* A tracer thread, no lock held: advance its domains held by a run to a
 * bookmark that has been resumed since. */
void rp_bm_release(struct replayer *r);
/* Top of a worker's loop: freeze there if a pause is under way (its
 * running tasks are interrupted first, and go on as they were). */
void rp_ctl_loop_top(struct replayer *r);
/* A tracer thread of a session enters / leaves its loop. */
void rp_ctl_thread_enter(struct replayer *r);
void rp_ctl_thread_leave(struct replayer *r);
/* rp_diverge's facts, kept for the fatal() that follows in this thread. */
void rp_ctl_note_divergence(struct replayer *r, uint32_t stream, uint64_t index,
                            int32_t tid, const char *expected);
/* A tracer thread with no tracee at all waits for work (worker_idle):
 * a stopped replay need not wait for it to freeze (a pinned thread may
 * take a long time to be scheduled on a busy CPU). */
void rp_ctl_idle(struct replayer *r, bool idle);
/* The session thread: n tracer threads are about to run their loops. */
void rp_ctl_threads(struct replayer *r, int n);
/* The program is over: wake every tracer thread until all have left
 * their loops (one whose only tracees are checkpoint copies would wait in
 * waitpid forever if the wake-up that ends it came just before). */
void rp_ctl_drain(struct replayer *r);
/* Every task is gone and the streams are done: the replay is over. */
void rp_ctl_ended(struct replayer *r, int status);
/* Collect the program's first process once it is dead (a session runs in
 * someone else's process: leave no zombie). */
void rp_ctl_reap(pid_t root);
/* Is the replay paused (the watchdog then waits)? */
bool rp_ctl_paused(struct replayer *r);

/* ---- the controller's side (src/lib/lib_replay.c) ---- */

/* Start replaying the trace at `dir` on a thread of its own; it freezes
 * before anything runs.  NULL with a message in err on failure. */
struct replayer *rp_ctl_open(const char *dir, void (*out)(void *, int, const void *, size_t),
                             void *out_ctx, bool live, char *err, size_t errlen);
/* Go on until cond (NULL: the end). */
void rp_ctl_resume(struct replayer *r, const struct rp_cond *cond);
/* Wait until the replay is stopped (all its threads frozen) or over, at
 * most timeout_ms (< 0: forever).  True with *st filled once it is. */
bool rp_ctl_wait(struct replayer *r, int timeout_ms, struct rp_stop *st);
/* Ask every tracer thread to freeze (any thread may call it). */
void rp_ctl_pause(struct replayer *r);
/* Kill the program, end the threads, free everything. */
void rp_ctl_close(struct replayer *r);
/* At a stop: run a ptrace request on the thread that traces the task
 * with recorded tid `rec_tid`.  -ESRCH if no such live task. */
long rp_ctl_request(struct replayer *r, int op, int32_t rec_tid, uint64_t addr, void *buf,
                    size_t len);

/* ---- a debugger's breakpoints (replay_debug.c) ---- */

/* The engine's side: a tracer thread applies the current slots to a task
 * it just took on (first stop, exec, adoption)... */
void rp_dbg_task(struct replayer *r, struct task *t, bool exec);
/* With c->mu held: put the bytes the software breakpoints of process
 * rec_pid replaced back into what a read of its memory returned. */
void rp_dbg_hide(struct replayer *r, int32_t rec_pid, uint64_t addr, void *buf, size_t len);
/* ... and to all of its tasks when it thaws, and arms the single step.
 * (exec: the process's software breakpoints went with its old image.) */
void rp_dbg_thaw(struct replayer *r);
/* rp_on_wait: is this stop a debugger's trap?  Then it was reported (the
 * thread froze) and the task resumed: true. */
bool rp_dbg_trap(struct replayer *r, struct task *t, int status);
/* Before a task is resumed: a watched range written by the event just
 * replayed (an emulated read...) is a watchpoint stop here. */
void rp_dbg_check_watch(struct replayer *r, struct task *t);
/* Make *st the session's stop and freeze, unless another stop was made
 * first (then freeze until resumed): true if *st was reported. */
bool rp_ctl_report(struct replayer *r, const struct rp_stop *st);

/* The controller's side, at a stop: add (add) or remove a slot; 0 or
 * -errno (-ENOSPC: no free debug register, -EINVAL: bad size). */
#define RP_SOFT_BREAK 8     /* rp_ctl_break's type for an int3 breakpoint */
int rp_ctl_break(struct replayer *r, bool add, int type, uint64_t addr, uint32_t len,
                 int32_t pid);
/* The next resume single-steps task rec_tid (0: none). */
void rp_ctl_step(struct replayer *r, int32_t rec_tid);
/* At a stop: run fn(r, arg) on tracer thread `worker` (it alone may use
 * ptrace on its tasks); every thread is frozen meanwhile, so fn may read
 * every table.  -EBUSY if the replay is not stopped, is over or failed. */
long rp_ctl_call(struct replayer *r, int worker, long (*fn)(struct replayer *, void *),
                 void *arg);
/* At a stop: rebuild the program's kernel state and let it go, live
 * (replay_golive.c).  Returns how many fds could not be rebuilt (forced:
 * they stay closed, err says which), with *pid the program's first
 * process, or -errno with err saying why. */
int rp_ctl_golive(struct replayer *r, bool force, pid_t *pid, char *err, size_t len);

/* A task as the controller sees it at a stop. */
struct rp_task_info {
	int32_t rec_tid, rec_pid;
	pid_t tid, pid;
	uint32_t stream;
	int state;             /* 0 stopped at an event, 1 parked waiting
	                          for its turn, 2 running, 3 dead (its exit
	                          not yet matched) */
	bool holder;           /* holds its domain */
};
/* Up to n tasks into out; returns how many there are in all. */
size_t rp_ctl_tasks(struct replayer *r, struct rp_task_info *out, size_t n);

#endif
