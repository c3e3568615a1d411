/* record_sched.c -- one task at a time inside a memory domain.
 *
 * Tasks that share memory (threads, and processes joined by shared
 * mappings) would otherwise race on it in ways no trace could reproduce.
 * So each domain has a holder: the one task allowed to run user code.
 * Every other task of the domain that reaches a stop is parked there.  The
 * holder releases the domain when it enters a call that may block (its
 * siblings run meanwhile; the call's event is written when it gets the
 * domain back) and when it exits.  Every change of holder is an EV_SWITCH
 * event, so replay can run the same tasks in the same order. */
#include "record/record_int.h"

#include "core/ptrace.h"

void rec_acquire(struct recorder *r, struct task *t)
{
	struct domain *d = t->dom;
	ASSERT(!d->holder || d->holder == t);
	d->holder = t;
	if (d->last && d->last != t) {
		struct event ev = { .type = EV_SWITCH, .tid = t->rec_tid };
		rec_emit(r, t, &ev);
	}
	d->last = t;
}

void rec_release(struct recorder *r, struct task *t)
{
	struct domain *d = t->dom;
	if (d->holder != t)
		return;
	d->holder = NULL;
	struct task *next = domain_unpark(d);
	if (next) {
		rec_acquire(r, next);
		rec_handle_stop(r, next, next->parked_status);
	}
}

bool rec_take_domain(struct recorder *r, struct task *t, int status)
{
	struct domain *d = t->dom;
	if (d->holder == t)
		return true;
	if (!d->holder) {
		rec_acquire(r, t);
		return true;
	}
	domain_park(d, t, status);
	return false;
}
