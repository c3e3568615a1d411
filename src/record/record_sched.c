/* record_sched.c -- one task at a time inside a memory domain.
 *
 * Tasks that share memory (threads, and processes joined by shared
 * mappings) would otherwise race on it in ways no trace could reproduce.
 * So each domain has a holder: the one task allowed to run user code.
 * Every other task of the domain that reaches a stop is parked there.  The
 * holder releases the domain when it enters a call that may block (its
 * siblings run meanwhile; the call's event is written when it gets the
 * domain back), when it is preempted, and when it dies.  Every change of
 * holder is an EV_SWITCH event, so replay can run the same tasks in the
 * same order.
 *
 * Domains that come to share memory after they were created form a group
 * with one scheduler (record_share.c); their tasks may be traced by
 * different threads, so all of this runs under one lock, and a thread
 * that hands the group to a task of another thread sends it a message.
 * In a group every acquisition is numbered (EV_SWITCH) and every release
 * is an event (EV_RELEASE), which orders the group's streams on replay. */
#include "record/record_int.h"

#include <stdlib.h>

#include <sys/wait.h>

#include "core/ptrace.h"
#include "core/sig.h"

/* Caller holds r->sched_mu. */
static void acquire_locked(struct recorder *r, struct task *t)
{
	struct sched *s = t->dom->s;
	ASSERT(!s->holder || s->holder == t);
	s->holder = t;
	sched_busy_on(s, t->owner);
	if (s->grouped) {
		struct event ev = { .type = EV_SWITCH, .tid = t->rec_tid };
		ev.sched.seq = ++s->seq;
		rec_emit(r, t, &ev);
	} else if ((s->last && s->last != t) || s->switch_due) {
		struct event ev = { .type = EV_SWITCH, .tid = t->rec_tid };
		rec_emit(r, t, &ev);
	}
	s->last = t;
	s->switch_due = false;
}

void rec_acquire(struct recorder *r, struct task *t)
{
	pthread_mutex_lock(&r->sched_mu);
	acquire_locked(r, t);
	pthread_mutex_unlock(&r->sched_mu);
}

/* A task in a group-stop waits for SIGCONT (record_jobctl.c). */
static struct task *first_eligible(struct sched *s)
{
	for (struct task *k = s->waitq; k; k = k->wnext)
		if (k->kick == KICK_NONE || k->kick == KICK_STOPPED)
			return k;
	return NULL;
}

/* Chaos mode: the one of highest random priority (record_chaos.c). */
static struct task *chaos_eligible(struct recorder *r, struct sched *s)
{
	struct task *best = NULL;
	for (struct task *k = s->waitq; k; k = k->wnext)
		if ((k->kick == KICK_NONE || k->kick == KICK_STOPPED) &&
		    (!best || rec_chaos_prio(r, k) > rec_chaos_prio(r, best)))
			best = k;
	return best;
}

/* Give the sched to its next parked task, in whichever thread it is.
 * Caller holds r->sched_mu; returns the task this thread must now handle. */
static struct task *pass_on_locked(struct recorder *r, struct sched *s)
{
	struct task *next = r->opts->chaos ? chaos_eligible(r, s) : first_eligible(s);
	if (!next)
		return NULL;
	next->kick = KICK_NONE;
	domain_unpark_task(next->dom, next);
	acquire_locked(r, next);
	if (next->owner == self)
		return next;
	struct handoff *h = xcalloc(1, sizeof(*h));
	h->kind = HANDOFF_RESUME;
	h->task = next;
	h->status = next->parked_status;
	worker_send(&r->ws, next->owner, h);
	return NULL;
}

static void release_locked_emit(struct recorder *r, struct task *t)
{
	struct sched *s = t->dom->s;
	if (s->grouped) {
		struct event ev = { .type = EV_RELEASE, .tid = t->rec_tid };
		ev.sched.seq = s->seq;
		rec_emit(r, t, &ev);
	}
	s->holder = NULL;
	sched_busy_on(s, NULL);
}

void rec_release(struct recorder *r, struct task *t)
{
	pthread_mutex_lock(&r->sched_mu);
	struct sched *s = t->dom->s;
	if (s->holder != t) {
		pthread_mutex_unlock(&r->sched_mu);
		return;
	}
	release_locked_emit(r, t);
	struct task *next = pass_on_locked(r, s);
	pthread_mutex_unlock(&r->sched_mu);
	if (next)
		rec_handle_stop(r, next, next->parked_status);
}

bool rec_take_domain(struct recorder *r, struct task *t, int status)
{
	pthread_mutex_lock(&r->sched_mu);
	struct sched *s = t->dom->s;
	bool go = true;
	if (s->holder != t) {
		/* A task of a stopping process waits for SIGCONT parked (it is
		 * let into the stop below), even when the domain is free. */
		if (!s->holder && !t->proc->jobstop)
			acquire_locked(r, t);
		else {
			domain_park(t->dom, t, status);
			go = false;
		}
	}
	pthread_mutex_unlock(&r->sched_mu);
	/* Its process is stopping: it must not wait outside the stop. */
	if (!go && (t->proc->jobstop || (((unsigned)status >> 16) == PTRACE_EVENT_STOP &&
	                                  sig_is_stop(WSTOPSIG(status)))))
		rec_kick(t);
	return go;
}

void rec_offer(struct recorder *r, struct task *t)
{
	pthread_mutex_lock(&r->sched_mu);
	struct sched *s = t->dom->s;
	struct task *next = s->holder ? NULL : pass_on_locked(r, s);
	pthread_mutex_unlock(&r->sched_mu);
	if (next)
		rec_handle_stop(r, next, next->parked_status);
}

void rec_park_release(struct recorder *r, struct task *t, int status)
{
	pthread_mutex_lock(&r->sched_mu);
	struct sched *s = t->dom->s;
	domain_park(t->dom, t, status);
	struct task *next = NULL;
	if (s->holder == t) {
		release_locked_emit(r, t);
		/* Chaos mode may give the domain straight back to t (its
		 * priority is still the highest): that needs its EV_SWITCH
		 * too, or replay, which parks t here as well, would not know
		 * that t ran on (and maybe let the domain go at a blocking
		 * call's entry, with no event) before the next task. */
		if (r->opts->chaos)
			s->switch_due = true;
		next = pass_on_locked(r, s);
	} else if (!s->holder) {
		/* The group it joined was let go (by a task of another
		 * thread) between the join and now: nobody would wake it. */
		next = pass_on_locked(r, s);
	}
	pthread_mutex_unlock(&r->sched_mu);
	if (next)
		rec_handle_stop(r, next, next->parked_status);
}

void rec_forget_task(struct recorder *r, struct task *t)
{
	pthread_mutex_lock(&r->sched_mu);
	struct domain *d = t->dom;
	struct sched *s = d->s;
	bool holder = s->holder == t;
	if (holder)
		release_locked_emit(r, t);
	task_free(&self->t, t);
	if (d->ntasks == 0) {
		sched_busy_on(&d->own, NULL);   /* one that never ran */
		workers_domain_gone(&r->ws, self);
		trc_stream_finish(d->stream);
	}
	struct task *next = holder ? pass_on_locked(r, s) : NULL;
	pthread_mutex_unlock(&r->sched_mu);
	if (next)
		rec_handle_stop(r, next, next->parked_status);
}

bool rec_holds(struct recorder *r, struct task *t, bool *contended)
{
	pthread_mutex_lock(&r->sched_mu);
	struct sched *s = t->dom->s;
	bool h = s->holder == t;
	*contended = h && first_eligible(s);
	pthread_mutex_unlock(&r->sched_mu);
	return h;
}
