/* record_watch.c -- a recording that can no longer move ends with an
 * error, not a silent hang.
 *
 * The recorder too makes tasks wait for each other: for their domain's
 * turn, for a task to be gone before its domain moves on.  A case it
 * does not foresee (a thread-group leader that left with SYS_exit and
 * will not be reported gone while its threads live, say) leaves every
 * task in a ptrace stop that only scribe could end.  The watchdog
 * (core/watch.c) ends the recording once that state held for 10 s with
 * no stop handled: one line names each task and its state, the program
 * is killed, exit 125, and the trace replays up to there.  A process in a group-stop waits for a SIGCONT
 * from outside, not for us: the watchdog waits too. */
#include "record/record_int.h"

#include <stdlib.h>

#include "core/watch.h"

#define RECORD_STUCK_SECONDS 10

static uint64_t progress(void *arg)
{
	const struct recorder *r = arg;
	return __atomic_load_n(&r->nstops, __ATOMIC_RELAXED);
}

static bool may_be_stuck(void *arg)
{
	const struct recorder *r = arg;
	return __atomic_load_n(&r->njobstop, __ATOMIC_RELAXED) == 0;
}

static bool workers_waiting(void *arg)
{
	const struct recorder *r = arg;
	return __atomic_load_n(&r->busy, __ATOMIC_RELAXED) == 0;
}

/* Ended the way SIGTERM ends a recording: each tracer thread kills its
 * own tasks (this thread may not walk their tables), and the trace
 * replays up to here. */
static void stuck(void *arg, const char *tasks)
{
	struct recorder *r = arg;
	char *why = xasprintf("the recording made no progress for %d s, every task stopped by "
	                      "scribe: %s; the program was killed and the trace ends here "
	                      "(a bug of scribe's)", RECORD_STUCK_SECONDS, tasks);
	rec_interrupt(r, why);
	free(why);
}

void rec_watch_start(struct recorder *r)
{
	r->watch = (struct watch){ .ws = &r->ws, .progress = progress,
	                           .may_be_stuck = may_be_stuck,
	                           .workers_waiting = workers_waiting, .stuck = stuck, .arg = r,
	                           .looks = RECORD_STUCK_SECONDS };
	watch_start(&r->watch);
}

void rec_jobstop(struct recorder *r, struct process *p, bool on)
{
	if (p->jobstop != on)
		__atomic_add_fetch(&r->njobstop, on ? 1 : -1, __ATOMIC_RELAXED);
	p->jobstop = on;
}
