/* worker.h -- tracer threads, one per usable CPU.
 *
 * ptrace ties a tracee to the thread that attached it, and a stop costs
 * ~7 us when tracer and tracee share a CPU but ~48 us across CPUs.  So
 * each worker thread is pinned to one CPU, traces the memory domains
 * placed on it, and pins their tasks to the same CPU; domains on
 * different workers record and replay in parallel.  A new domain goes to
 * the least loaded worker, taking its first task along (page.h). */
#ifndef SCRIBE_WORKER_H
#define SCRIBE_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/user.h>
#include <time.h>

#include "core/tracee.h"

#define MAX_WORKERS 64

/* A message to a worker: a task on its way to it (HANDOFF_MOVE), or one
 * of its parked tasks that another thread gave the domain (RESUME). */
enum { HANDOFF_MOVE, HANDOFF_RESUME };
struct handoff {
	int kind;
	struct task *task;                /* already built, domain attached */
	struct domain *dom;               /* a new domain moving with it */
	struct user_regs_struct regs;     /* its registers to restore */
	int status;                       /* the stop to dispatch once there */
	struct handoff *next;
};

struct worker {
	int id, cpu;
	pid_t tid;
	pthread_t thread;
	struct tracees t;                 /* what this thread traces */
	struct buf enc;                   /* record: event encoding scratch */
	struct handoff *inbox;            /* under workers.mu */
	int ndomains;                     /* live domains here (balancing) */
	int nbusy;                        /* record: its domains with a task
	                                     running (not blocked), atomic */
	int preempt_nest;                 /* record: rec_preempt_here calls
	                                     under way (record_preempt.c) */
	timer_t tick;
	bool ticking;
	int tick_fired;                   /* atomic: set by the SIGALRM handler */
};

struct workers {
	int n;
	struct worker w[MAX_WORKERS];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long live;                        /* live tasks, all workers */
	bool done;
	int nidle;                        /* workers in worker_idle */
	uint64_t all_idle_since;          /* when they all were, or 0 */
};

/* The worker the calling thread is. */
extern __thread struct worker *self;

/* One worker per CPU we may run on (at most `max`); worker 0 is the
 * calling thread, pinned here. */
void workers_init(struct workers *ws, int max);
/* Start threads 1..n-1 running fn(worker). */
void workers_start(struct workers *ws, void *(*fn)(void *));
void workers_join(struct workers *ws);
/* The wake-up (worker_wake) and the tick interrupt waitpid with SIGALRM,
 * which must then have a handler (no SA_RESTART): install a no-op one,
 * if the disposition is the default when only_if_default (a library
 * leaves a caller's own handler alone; docs/api.md, "Signals"). */
void worker_wake_handler(bool only_if_default);
/* Did this worker's tick timer fire since the last call (seen by the
 * library's handler; false when the handler is a caller's)? */
bool worker_tick_fired(struct worker *w);
/* A periodic SIGALRM to this thread (record's scheduler tick). */
void worker_start_tick(struct worker *w, long period_ns);

void workers_task_born(struct workers *ws);
/* Returns true when that was the last task anywhere. */
bool workers_task_died(struct workers *ws);
bool workers_done(struct workers *ws);

/* The last task of one of this worker's domains is gone. */
void workers_domain_gone(struct workers *ws, struct worker *w);
/* SIGKILL every tracee: those of every thread's table, and those waiting
 * in an inbox to be taken over. */
void workers_kill_all(struct workers *ws);
/* Choose where a new domain goes.  Recording (discount 1), the worker
 * with the fewest busy domains, `here` counting one less (the parent,
 * which usually waits) and winning ties; replay (discount 0, nothing
 * counted busy), the worker with the fewest domains, `here` on a tie. */
struct worker *workers_pick(struct workers *ws, struct worker *here, int discount);
/* Count sched s as busy on worker w (NULL: not busy). */
void sched_busy_on(struct sched *s, struct worker *w);
/* Move a task stopped with `status` (its first stop) to another worker,
 * with the domain it alone uses: it is taken out of this thread's table,
 * parked on the scribe page and detached; the target seizes it. */
void worker_move(struct workers *ws, struct worker *to, struct task *t, int status);
/* Hand a task over; the target's loop picks it up (worker_take). */
void worker_send(struct workers *ws, struct worker *to, struct handoff *h);
struct handoff *worker_take(struct workers *ws, struct worker *w);
/* Interrupt a worker's waitpid so it looks at its inbox. */
void worker_wake(struct worker *w);
/* Wait while this worker has no tracee: until a handoff or the end, at
 * most 20 ms.  Returns for how long every worker has had no tracee and
 * no handoff at once (then no tracee is left at all), or 0. */
uint64_t worker_idle(struct workers *ws, struct worker *w);
/* The end, whatever `live` says (no tracee is left). */
void workers_end(struct workers *ws);

/* Pin another thread (a tracee) to a CPU. */
void pin_task(pid_t tid, int cpu);

#endif
