/* gdb_timeline.c -- reverse execution (bc, bs) without a performance
 * counter: go back to a known earlier point and run forward again, which
 * a deterministic replay makes exact.
 *
 * A position is a stop of one task: the recorded tid, the number of event
 * boundaries it passed (scribe_stop.task_events: its own events, the
 * same in every replay, where a stream's index at a trap is not), and the
 * task's state there: its general registers (less the trap and resume
 * flags) and a hash of the 4 KiB above its stack pointer.  Such a stop is
 * found again by a software breakpoint at its rip: among the hits of that
 * task between the same events, the first one with the same state.
 * (Two stops with equal registers and stack top between the same two
 * events of a task are one position here: a loop whose state is all in
 * other memory; the first is taken.)
 *
 * reverse-continue runs from the start with gdb's breakpoints and
 * watchpoints and the position's breakpoint, and keeps the last of gdb's
 * stops before the position; then runs from the start again to it.
 * reverse-stepi finds the last stop of the task before the position in
 * the same way (a breakpoint hit, or the position's own rip an iteration
 * before), then single-steps from there to count the instructions up to
 * the position, and goes again to one instruction short of it.
 *
 * "Back to the start" is tl_restart, the one thing checkpoints (the
 * `ckpt` branch: scribe_replay_checkpoint/restore) will replace: a new
 * session brought to where debugging started. */
#include "gdb/gdb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EFLAGS_TF_RF 0x10100ull
#define MAX_STEPS 200000      /* reverse-stepi's budget of single steps */

struct pos {
	int32_t tid;
	uint32_t stream;
	uint64_t index;        /* boundaries the task passed (task_events) */
	uint64_t sidx;         /* its stream's next event then (not exact) */
	struct scribe_regs regs;
	uint64_t stack;
};

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static bool pos_here(scribe_replay *r, int32_t tid, const struct scribe_stop *st, struct pos *p)
{
	memset(p, 0, sizeof(*p));
	p->tid = tid;
	p->stream = st->stream;
	p->index = st->task_events;
	p->sidx = st->stream_index;
	if (scribe_replay_regs(r, tid, &p->regs) != SCRIBE_OK)
		return false;
	p->regs.eflags &= ~EFLAGS_TF_RF;
	uint8_t top[4096];
	long n = scribe_replay_read(r, tid, p->regs.rsp, top, sizeof(top));
	p->stack = fnv(top, n > 0 ? (size_t)n : 0);
	return true;
}

static bool pos_equal(const struct pos *a, const struct pos *b)
{
	return a->tid == b->tid && a->index == b->index &&
	       !memcmp(&a->regs, &b->regs, sizeof(a->regs)) && a->stack == b->stack;
}

/* The program's output, again: not while the timeline runs forward to
 * find a position (it was written already), as usual once there. */
static void output(void *ctx, int fd, const void *p, size_t n)
{
	struct gdb *g = ctx;
	while (!g->mute && n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			break;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
}

/* Back to where debugging started, in a new session. */
static int tl_restart(struct gdb *g)
{
	scribe_replay_close(g->r);
	g->r = NULL;
	char err[1024];
	struct scribe_replay_opts ro = { .size = sizeof(ro), .output = output, .output_ctx = g };
	g->mute = true;
	int rc = scribe_replay_open(g->o->trace, &ro, &g->r);
	if (rc != SCRIBE_OK)
		snprintf(err, sizeof(err), "%s", scribe_replay_error(g->r));
	else
		rc = gdb_start(g->r, g->o->start_pid, g->o->event, err, sizeof(err));
	if (rc != SCRIBE_OK) {
		gdb_out(g, "scribe: cannot go back to the start: %s\n", err);
		g->over = true;
		return rc;
	}
	g->stop.size = sizeof(g->stop);
	scribe_replay_wait(g->r, 0, &g->stop);
	return SCRIBE_OK;
}

static const int kinds[5] = { SCRIBE_BREAK_SOFT, SCRIBE_BREAK_EXEC, SCRIBE_BREAK_WRITE,
                              SCRIBE_BREAK_ACCESS, SCRIBE_BREAK_ACCESS };

/* gdb's breakpoints and watchpoints in the session, and the locator of a
 * position at rip (unless gdb has a breakpoint there already). */
static void insert(struct gdb *g, bool gdbs, uint64_t locator)
{
	bool have = false;
	for (int i = 0; gdbs && i < g->nbp; i++) {
		/* a library's is set once it is loaded: at a later stop
		 * (gdb's own breakpoint in the dynamic loader stops there) */
		g->pending[i] = scribe_replay_break(g->r, kinds[g->bp[i].z], g->bp[i].addr,
		                                    g->bp[i].len, g->pid) != SCRIBE_OK;
		have |= g->bp[i].z == 0 && g->bp[i].addr == locator;
	}
	g->loc_pending = locator && !have &&
	                 scribe_replay_break(g->r, SCRIBE_BREAK_SOFT, locator, 1, g->pid) != SCRIBE_OK;
	g->locator = locator;
}

static void retry_pending(struct gdb *g)
{
	for (int i = 0; i < g->nbp; i++)
		if (g->pending[i])
			g->pending[i] = scribe_replay_break(g->r, kinds[g->bp[i].z], g->bp[i].addr,
			                                    g->bp[i].len, g->pid) != SCRIBE_OK;
	if (g->loc_pending)
		g->loc_pending = scribe_replay_break(g->r, SCRIBE_BREAK_SOFT, g->locator, 1,
		                                     g->pid) != SCRIBE_OK;
}

static void remove_all(struct gdb *g, uint64_t locator)
{
	memset(g->pending, 0, sizeof(g->pending));
	g->loc_pending = false;
	for (int i = 0; i < g->nbp; i++)
		scribe_replay_unbreak(g->r, kinds[g->bp[i].z], g->bp[i].addr, g->bp[i].len);
	if (locator)
		scribe_replay_unbreak(g->r, SCRIBE_BREAK_SOFT, locator, 1);
}

void gdb_follow(struct gdb *g, int32_t pid)
{
	remove_all(g, 0);
	g->pid = pid;
	g->gtid = g->stop_tid = 0;
	insert(g, true, 0);
}

/* One stop forward (step: that task's single step). */
static bool forward(struct gdb *g, int32_t step)
{
	retry_pending(g);
	if (step)
		scribe_replay_step(g->r, step);
	g->stop.size = sizeof(g->stop);
	int rc = scribe_replay_run(g->r, NULL, &g->stop);
	if (getenv("SCRIBE_GDB_TRACE"))
		fprintf(stderr, "timeline: forward(%d): rc %d reason %d tid %d at %llu %s\n", step, rc,
		        g->stop.reason, g->stop.tid, (unsigned long long)g->stop.stream_index,
		        g->stop.message ? g->stop.message : "");
	return rc == SCRIBE_OK && g->stop.reason != SCRIBE_STOP_ENDED;
}

static bool is_debug_stop(const struct scribe_stop *s)
{
	return s->reason == SCRIBE_STOP_BREAK || s->reason == SCRIBE_STOP_WATCH ||
	       s->reason == SCRIBE_STOP_STEP;
}

/* Is this stop the position x? */
static bool at(struct gdb *g, const struct pos *x)
{
	struct pos p;
	return g->stop.reason == SCRIBE_STOP_BREAK && g->stop.tid == x->tid &&
	       g->stop.task_events == x->index &&
	       g->stop.addr == x->regs.rip && pos_here(g->r, x->tid, &g->stop, &p) &&
	       pos_equal(&p, x);
}

/* Is the stop one of gdb's own (not only the locator's)? */
static bool gdbs_stop(struct gdb *g)
{
	for (int i = 0; i < g->nbp; i++)
		if (g->bp[i].addr == g->stop.addr &&
		    (g->stop.reason == SCRIBE_STOP_WATCH ? g->bp[i].z >= 2 : g->bp[i].z <= 1))
			return true;
	return false;
}

/* From the start, with gdb's breakpoints and x's locator: the ordinal of
 * the last stop before x that `want` accepts (0: none), -1 if x was not
 * found. */
static long scan(struct gdb *g, const struct pos *x, bool (*want)(struct gdb *, const struct pos *))
{
	if (tl_restart(g) != SCRIBE_OK)
		return -1;
	insert(g, true, x->regs.rip);
	long n = 0, last = 0;
	struct pos p;
	while (forward(g, 0)) {
		n++;
		/* x itself may be a watchpoint's stop, not the locator's */
		if (g->stop.tid == x->tid && g->stop.reason == SCRIBE_STOP_WATCH &&
		    pos_here(g->r, x->tid, &g->stop, &p) && pos_equal(&p, x))
			return last;
		if (getenv("SCRIBE_GDB_TRACE"))
			fprintf(stderr, "timeline: stop %ld: reason %d tid %d addr %llx (want tid %d rip %llx)\n",
			        n, g->stop.reason, g->stop.tid, (unsigned long long)g->stop.addr, x->tid,
			        (unsigned long long)x->regs.rip);
		if (getenv("SCRIBE_GDB_TRACE") && g->stop.tid == x->tid && g->stop.addr == x->regs.rip) {
			struct pos q;
			pos_here(g->r, x->tid, &g->stop, &q);
			fprintf(stderr, "timeline: locator hit: events %llu/%llu regs %d stack %d\n",
			        (unsigned long long)q.index, (unsigned long long)x->index,
			        !memcmp(&q.regs, &x->regs, sizeof(q.regs)), q.stack == x->stack);
		}
		if (at(g, x))
			return last;
		if (want(g, x))
			last = n;
	}
	return -1;
}

/* From the start, to the n-th stop (of the same breakpoints as scan). */
static bool replay_to(struct gdb *g, const struct pos *x, long n)
{
	if (tl_restart(g) != SCRIBE_OK)
		return false;
	insert(g, true, x->regs.rip);
	for (long i = 0; i < n; i++)
		if (!forward(g, 0))
			return false;
	return true;
}

static bool want_gdbs(struct gdb *g, const struct pos *x)
{
	(void)x;
	return is_debug_stop(&g->stop) && gdbs_stop(g);
}

static bool want_task(struct gdb *g, const struct pos *x)
{
	return is_debug_stop(&g->stop) && g->stop.tid == x->tid;
}

static bool here(struct gdb *g, struct pos *x)
{
	int32_t tid = g->stop_tid ? g->stop_tid : gdb_task(g);
	/* a signal's stop is at the instruction it interrupted or faulted
	 * at, not yet run: found again by a breakpoint there; a syscall's
	 * (monitor goto) is past its instruction */
	if (g->at_start || g->stop.reason == SCRIBE_STOP_START ||
	    (g->stop.reason == SCRIBE_STOP_MATCH && g->stop.kind != SCRIBE_EV_SIGNAL)) {
		if (!g->at_start)
			gdb_out(g, "scribe: reverse execution goes back from breakpoints, "
			        "watchpoints, steps and interrupts, not from an event boundary "
			        "(monitor goto): back to the start\n");
		return false;
	}
	return pos_here(g->r, tid, &g->stop, x);
}

/* Back at the start: gdb's "no more reverse-execution history". */
static void at_beginning(struct gdb *g)
{
	if (!g->at_start && tl_restart(g) == SCRIBE_OK)
		insert(g, true, 0);
	g->at_start = true;
	g->mute = false;
	gdb_sendf(&g->c, "T05thread:%x;replaylog:begin;", (unsigned)gdb_task(g));
}

/* After going back: the stop gdb sees, with gdb's breakpoints in place. */
static void arrived(struct gdb *g, uint64_t locator)
{
	bool loc_is_gdbs = false;
	for (int i = 0; i < g->nbp; i++)
		loc_is_gdbs |= g->bp[i].z == 0 && g->bp[i].addr == locator;
	if (locator && !loc_is_gdbs)
		scribe_replay_unbreak(g->r, SCRIBE_BREAK_SOFT, locator, 1);
	g->at_start = false;
	g->mute = false;
	gdb_stop_reply(g);
}

static bool step_back(struct gdb *g, const struct pos *xp, bool quiet_ok);

void gdb_reverse_continue(struct gdb *g)
{
	struct pos x;
	if (!here(g, &x)) {
		at_beginning(g);
		return;
	}
	long k = scan(g, &x, want_gdbs);
	if (k < 0) {
		gdb_out(g, "scribe: the current position was not found again (a stop inside a "
		        "slice restored from a snapshot?): back to the start\n");
		at_beginning(g);
		return;
	}
	if (k == 0 || !replay_to(g, &x, k)) {
		at_beginning(g);
		return;
	}
	if (g->stop.reason == SCRIBE_STOP_WATCH) {
		/* going backwards, a watchpoint stops before the access (gdb
		 * then sees the value change, the other way round) */
		struct pos w;
		uint64_t addr = g->stop.addr;
		if (!pos_here(g->r, g->stop.tid, &g->stop, &w)) {
			at_beginning(g);
			return;
		}
		if (step_back(g, &w, true)) {
			g->stop.reason = SCRIBE_STOP_WATCH;
			g->stop.addr = addr;
			arrived(g, 0);
		}
		return;
	}
	arrived(g, x.regs.rip);
}

/* The last event of task x->tid in its stream before x (its stream
 * index), or -1: a boundary reverse-stepi can step from when the task
 * made no stop before x. */
static long long last_event(struct gdb *g, const struct pos *x)
{
	struct scribe_open_opts oo = { .size = sizeof(oo), .tid = x->tid,
	                               .stream = (int32_t)x->stream };
	scribe_trace *tr;
	long long last = -1;
	if (scribe_trace_open(g->o->trace, &oo, &tr) == SCRIBE_OK) {
		struct scribe_event ev[64];
		int n;
		while ((n = scribe_trace_next(tr, ev, 64)) > 0)
			for (int i = 0; i < n; i++)
				if (!ev[i].sub && ev[i].stream_index < x->sidx &&
				    ev[i].kind != SCRIBE_EV_TASK && ev[i].kind != SCRIBE_EV_SWITCH)
					last = (long long)ev[i].stream_index;
	}
	scribe_trace_close(tr);
	return last;
}

/* From the start to the anchor: the k-th stop of scan's run (k > 0), or
 * the boundary of x's task at its event -k - 1 (k < 0); then without
 * breakpoints, ready to single-step. */
static bool to_anchor(struct gdb *g, const struct pos *x, long long k)
{
	if (k > 0) {
		if (!replay_to(g, x, k))
			return false;
		remove_all(g, x->regs.rip);
		return true;
	}
	if (tl_restart(g) != SCRIBE_OK)
		return false;
	struct scribe_until u = { .size = sizeof(u), .what = SCRIBE_UNTIL_EVENT | SCRIBE_UNTIL_TID,
	                          .tid = x->tid, .stream = x->stream,
	                          .stream_index = (uint64_t)(-k - 1) };
	g->stop.size = sizeof(g->stop);
	int rc = scribe_replay_run(g->r, &u, &g->stop);
	if (getenv("SCRIBE_GDB_TRACE"))
		fprintf(stderr, "timeline: to event %lld of %d: rc %d reason %d\n", -k - 1, x->tid, rc,
		        g->stop.reason);
	return rc == SCRIBE_OK && g->stop.reason == SCRIBE_STOP_MATCH;
}

/* Go to one instruction of task x->tid before x: true if there (gdb's
 * breakpoints in place, g->stop the stop found), else at the start with
 * gdb told (false). */
static bool step_back(struct gdb *g, const struct pos *xp, bool quiet_ok)
{
	struct pos x = *xp;
	(void)quiet_ok;
	long long k = scan(g, &x, want_task);
	if (k < 0) {
		gdb_out(g, "scribe: the current position was not found again: back to the start\n");
		at_beginning(g);
		return false;
	}
	if (k == 0) {
		long long e = last_event(g, &x);
		if (e < 0) {
			at_beginning(g);
			return false;
		}
		k = -e - 1;
	}
	/* from the anchor, single steps up to x: how many? */
	if (!to_anchor(g, &x, k))
		goto lost;
	long m = 0;
	struct pos p;
	for (;;) {
		if (m >= MAX_STEPS || !forward(g, x.tid))
			goto lost;
		m++;
		if (g->stop.reason == SCRIBE_STOP_STEP && g->stop.tid == x.tid &&
		    pos_here(g->r, x.tid, &g->stop, &p) && pos_equal(&p, &x))
			break;
	}
	/* and again, one short */
	if (!to_anchor(g, &x, k))
		goto lost;
	for (long i = 0; i + 1 < m; i++)
		if (!forward(g, x.tid))
			goto lost;
	insert(g, true, 0);
	if (m > 1)
		g->stop.reason = SCRIBE_STOP_STEP;
	return true;
lost:
	gdb_out(g, "scribe: could not step back to the current position "
	        "(more than %d instructions from the last stop before it?)\n", MAX_STEPS);
	at_beginning(g);
	return false;
}

void gdb_reverse_step(struct gdb *g)
{
	struct pos x;
	if (!here(g, &x)) {
		at_beginning(g);
		return;
	}
	if (step_back(g, &x, false))
		arrived(g, 0);
}

/* ---- monitor checkpoint / restart: named positions ---- */

void gdb_checkpoint(struct gdb *g)
{
	struct gdb_ckpt *k = &g->ckpt[g->nckpt % GDB_MAXCKPT];
	memset(k, 0, sizeof(*k));
	k->start = g->at_start;
	if (!k->start) {
		struct pos x;
		if (!here(g, &x)) {
			gdb_out(g, "scribe: no checkpoint here\n");
			return;
		}
		_Static_assert(sizeof(k->pos) >= sizeof(struct pos), "gdb_ckpt.pos holds a pos");
		memcpy(k->pos, &x, sizeof(x));
	}
	g->nckpt++;
	gdb_out(g, "checkpoint %d%s\n", g->nckpt, k->start ? " (where debugging started)" : "");
}

void gdb_restart(struct gdb *g, int n)
{
	if (n < 1 || n > g->nckpt || g->nckpt - n >= GDB_MAXCKPT) {
		gdb_out(g, "scribe: no checkpoint %d (monitor checkpoint makes them)\n", n);
		return;
	}
	const struct gdb_ckpt *k = &g->ckpt[(n - 1) % GDB_MAXCKPT];
	struct pos x;
	memcpy(&x, k->pos, sizeof(x));
	if (tl_restart(g) != SCRIBE_OK)
		return;
	bool found = k->start;
	insert(g, true, k->start ? 0 : x.regs.rip);
	while (!found && forward(g, 0)) {
		struct pos p;
		found = at(g, &x) || (g->stop.tid == x.tid && is_debug_stop(&g->stop) &&
		                      pos_here(g->r, x.tid, &g->stop, &p) && pos_equal(&p, &x));
	}
	g->mute = false;
	if (!found) {
		gdb_out(g, "scribe: checkpoint %d was not found again: at the start\n", n);
		if (tl_restart(g) == SCRIBE_OK)
			insert(g, true, 0);
		g->mute = false;
		g->at_start = true;
		return;
	}
	if (!k->start) {
		bool gdbs = false;
		for (int i = 0; i < g->nbp; i++)
			gdbs |= g->bp[i].z == 0 && g->bp[i].addr == x.regs.rip;
		if (!gdbs)
			scribe_replay_unbreak(g->r, SCRIBE_BREAK_SOFT, x.regs.rip, 1);
		g->gtid = g->stop_tid = x.tid;
	}
	g->at_start = k->start;
	gdb_out(g, "at checkpoint %d (gdb shows it after `flushregs`)\n", n);
}
