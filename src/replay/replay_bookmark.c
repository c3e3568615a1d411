/* replay_bookmark.c -- running a session's replay to a bookmark
 * (trace/trace_bookmark.h): a position in every stream at once.
 *
 * Each domain parks at the first event boundary at or after its stream's
 * position: its holder stays in its ptrace stop, the domain is marked
 * held, and its tracer thread goes on with its other domains.  When every
 * stream with a position is parked there or has ended, the replay stops
 * as for any match (every thread freezes).  The next resume lets the held
 * domains go: each thread advances its own at the top of its loop (only
 * the thread tracing a task may resume it).
 *
 * Everything here runs with the session's c->mu held, except
 * rp_bm_release, which runs in a tracer thread with no lock. */
#include "replay/replay_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Grow the per-stream arrays to hold stream s. */
static void grow(struct rp_ctl *c, uint32_t s)
{
	if (s < c->bm_cap)
		return;
	uint32_t cap = MAX(s + 1, c->bm_cap * 2);
	c->bm_arrived = xrealloc(c->bm_arrived, cap);
	c->bm_ended = xrealloc(c->bm_ended, cap);
	memset(c->bm_arrived + c->bm_cap, 0, cap - c->bm_cap);
	memset(c->bm_ended + c->bm_cap, 0, cap - c->bm_cap);
	c->bm_cap = cap;
}

static uint64_t pos_of(const struct rp_cond *k, uint32_t stream)
{
	for (uint32_t i = 0; i < k->bm_n; i++)
		if (k->bm_streams[i] == stream)
			return k->bm_index[i];
	return 0;
}

/* Has every stream with a position got there (or ended)?  A position 0
 * asks for nothing: that stream had no event yet. */
static bool complete(struct rp_ctl *c)
{
	const struct rp_cond *k = &c->cond;
	for (uint32_t i = 0; i < k->bm_n; i++) {
		uint32_t s = k->bm_streams[i];
		if (k->bm_index[i] && (s >= c->bm_cap || (!c->bm_arrived[s] && !c->bm_ended[s])))
			return false;
	}
	return true;
}

/* The run is over: stop, named after the setter's stream if it is parked,
 * else after the last stream to get there. */
static void reached(struct rp_ctl *c)
{
	c->pause = true;
	c->cond.set = false;
	c->stop = c->bm_origin_seen ? c->bm_origin : c->bm_last;
	c->stop.reason = RPS_MATCH;
}

void rp_bm_resumed(struct rp_ctl *c)
{
	c->gen++;
	if (c->bm_cap)
		memset(c->bm_arrived, 0, c->bm_cap);
	c->bm_origin_seen = false;
	memset(&c->bm_last, 0, sizeof(c->bm_last));
	c->bm_last.nr = -1;
}

bool rp_bm_boundary(struct replayer *r, struct domain *d, struct task *h,
                    const struct event *ev, bool at_event)
{
	struct rp_ctl *c = r->ctl;
	const struct rp_cond *k = &c->cond;
	uint64_t idx = rp_index(r, h);
	if (!at_event || idx < pos_of(k, d->id))
		return false;
	grow(c, d->id);
	c->bm_arrived[d->id] = 1;
	struct rp_stop here = { .reason = RPS_MATCH, .stream = d->id, .index = idx,
	                        .tid = (int32_t)h->rec_tid, .kind = ev->type, .nr = -1 };
	if (ev->type == EV_SYSCALL)
		here.nr = (int32_t)ev->sys.nr;
	else if (ev->type == EV_SIGNAL)
		here.nr = ev->sig.signo;
	c->bm_last = here;
	if (k->bm_tid && d->id == k->bm_origin) {
		c->bm_origin = here;
		c->bm_origin_seen = true;
	}
	if (complete(c)) {
		reached(c);
		return false;                /* frozen with the others */
	}
	d->held = true;
	d->held_gen = c->gen;
	return true;
}

bool rp_bm_ended(struct replayer *r, struct domain *d)
{
	struct rp_ctl *c = r->ctl;
	grow(c, d->id);
	if (c->bm_ended[d->id])
		return false;
	c->bm_ended[d->id] = 1;
	if (c->pause || !c->cond.set || !c->cond.bm || !complete(c))
		return false;
	if (!c->bm_last.tid && !c->bm_origin_seen) {
		/* nothing parked: every stream ran out before its position */
		c->bm_last.stream = d->id;
		c->bm_last.nr = -1;
	}
	reached(c);
	return true;
}

void rp_bm_release(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	uint32_t gen = c->gen;
	pthread_mutex_unlock(&c->mu);
	for (bool again = true; again;) {
		again = false;
		for (struct domain *d = self->t.doms; d; d = d->next)
			if (d->held && d->held_gen != gen) {
				d->held = false;
				rp_advance(r, d);
				again = true;      /* the list may have changed */
				break;
			}
	}
}

void rp_bm_free(struct rp_ctl *c)
{
	free(c->bm_arrived);
	free(c->bm_ended);
}
