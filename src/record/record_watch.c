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
 * from outside, not for us: the watchdog waits too.
 *
 * A recording can also starve while it moves: a task computing while a
 * signal is held back from it (record_signal.c), its program waiting for
 * that signal.  Scribe lets a held signal in within a fraction of a
 * second (at the next syscall, or a signature); one held 10 s while its
 * task ran means scribe will never do it (a periodic timer's signal
 * stops took every interrupt scribe sent to place it: the task stopped
 * hundreds of times a second, so the first rule never saw it stuck).
 * That too ends the recording with one line -- if the task had a second
 * of CPU meanwhile: a machine too loaded to run it is not scribe's bug. */
#include "record/record_int.h"

#include <stdlib.h>

#include "core/sig.h"
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

void rec_watch_tick(struct recorder *r)
{
	struct owed o = {0};
	for (struct task *t = self->t.tasks; t; t = t->next)
		if (t->held && t->user_running && !t->dead && (!o.since || t->held_since < o.since))
			o = (struct owed){ .since = t->held_since, .tid = t->tid,
			                   .sig = t->held_info.si_signo };
	struct owed *mine = &r->owed[self->id];
	__atomic_store_n(&mine->tid, o.tid, __ATOMIC_RELAXED);
	__atomic_store_n(&mine->sig, o.sig, __ATOMIC_RELAXED);
	__atomic_store_n(&mine->since, o.since, __ATOMIC_RELEASE);
}

/* A held signal 10 s old, whose task had at least a second of CPU since
 * the watchdog first saw it held: not a machine too loaded to run it. */
static bool starved(void *arg)
{
	struct recorder *r = arg;
	if (!may_be_stuck(arg))
		return false;      /* a held signal waits with its stopped process */
	uint64_t now = mono_ns();
	for (int i = 0; i < r->ws.n; i++) {
		struct owed *o = &r->owed[i];
		uint64_t since = __atomic_load_n(&o->since, __ATOMIC_ACQUIRE);
		pid_t tid = __atomic_load_n(&o->tid, __ATOMIC_RELAXED);
		if (!since || now < since)
			continue;
		if (o->seen != since) {
			o->seen = since;
			o->cpu0 = task_cpu_ns(tid);
			continue;
		}
		uint64_t cpu = task_cpu_ns(tid);
		if (now - since < RECORD_STUCK_SECONDS * 1000000000ull || cpu < o->cpu0 + 1000000000ull)
			continue;
		char *why = xasprintf("task %d computed for %.1f s while scribe held back its signal "
		                      "%s for %d s: the program was killed and the trace ends here "
		                      "(a bug of scribe's)", (int)tid, (cpu - o->cpu0) / 1e9,
		                      sig_name(__atomic_load_n(&o->sig, __ATOMIC_RELAXED)),
		                      RECORD_STUCK_SECONDS);
		rec_interrupt(r, why);
		free(why);
		return true;
	}
	return false;
}

void rec_watch_start(struct recorder *r)
{
	r->watch = (struct watch){ .ws = &r->ws, .progress = progress,
	                           .may_be_stuck = may_be_stuck,
	                           .workers_waiting = workers_waiting, .stuck = stuck,
	                           .starved = starved, .arg = r,
	                           .looks = RECORD_STUCK_SECONDS };
	watch_start(&r->watch);
}

void rec_jobstop(struct recorder *r, struct process *p, bool on)
{
	if (p->jobstop != on)
		__atomic_add_fetch(&r->njobstop, on ? 1 : -1, __ATOMIC_RELAXED);
	p->jobstop = on;
}
