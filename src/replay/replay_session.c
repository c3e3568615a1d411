/* replay_session.c -- the controller's side of a libscribe replay session:
 * open, resume, wait, pause, requests at a stop, close (replay_ctl.h). */
#include "replay/replay_int.h"

#include "replay/replay_ckpt.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/ptrace.h"

/* With c->mu held: is the replay at rest (over, or every thread frozen
 * or idle with no tracee)? */
static bool at_rest(struct rp_ctl *c)
{
	return c->ended || (c->pause && c->nfrozen > 0 && c->nfrozen + c->nidle >= c->nin);
}

/* With c->mu held: is the replay at rest, waiting a moment if it is
 * paused but not quite (a thread idle with no tracee leaves worker_idle
 * every 20 ms, uncounted until it freezes at the top of its loop: a
 * request then would fail for nothing)? */
static bool settled(struct rp_ctl *c)
{
	for (int i = 0; i < 200 && c->pause && !at_rest(c) && !c->ended; i++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&c->cv, &c->mu, &ts);
	}
	return at_rest(c);
}

static void wake_all(struct replayer *r)
{
	for (int i = 0; i < r->ws.n; i++)
		worker_wake(&r->ws.w[i]);
}

struct replayer *rp_ctl_open(const char *dir, void (*out)(void *, int, const void *, size_t),
                             void *out_ctx, bool live, char *err, size_t errlen)
{
	struct replayer *r = xcalloc(1, sizeof(*r));
	struct rp_ctl *c = xcalloc(1, sizeof(*c));
	struct replay_opts *o = xcalloc(1, sizeof(*o));
	c->dir = xstrdup(dir);
	o->dir = c->dir;
	o->sysemu = live;                   /* no filter: it may go live */
	r->opts = o;
	r->dir = c->dir;
	r->ctl = c;
	c->out = out;
	c->out_ctx = out_ctx;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->pause = true;                    /* freeze before anything runs */
	c->stop.reason = RPS_START;
	rp_wake_handler(true);              /* before any thread may be woken */
	if (pthread_create(&c->thread, NULL, rp_session, r) != 0) {
		snprintf(err, errlen, "cannot start the replay's thread: %s", strerror(errno));
		free(c->dir);
		free(c);
		free(o);
		free(r);
		return NULL;
	}
	rp_ctl_wait(r, -1, NULL);
	return r;
}

void rp_ctl_resume(struct replayer *r, const struct rp_cond *cond)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	if (!c->ended && !c->failed) {
		memset(&c->cond, 0, sizeof(c->cond));
		if (cond)
			c->cond = *cond;
		rp_bm_resumed(c);
		memset(&c->stop, 0, sizeof(c->stop));
		c->pause = false;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
}

bool rp_ctl_wait(struct replayer *r, int timeout_ms, struct rp_stop *st)
{
	struct rp_ctl *c = r->ctl;
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : now_ns() + timeout_ms * 1000000ull;
	pthread_mutex_lock(&c->mu);
	while (!at_rest(c)) {
		uint64_t now = now_ns();
		if (now >= deadline)
			break;
		/* 20 ms at most: a thread in waitpid that missed its wake-up
		 * (it was not waiting yet) is woken again */
		uint64_t until = MIN(deadline, now + 20000000ull);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t abs = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec + (until - now);
		ts.tv_sec = abs / 1000000000ull;
		ts.tv_nsec = abs % 1000000000ull;
		if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT && c->pause) {
			pthread_mutex_unlock(&c->mu);
			wake_all(r);
			pthread_mutex_lock(&c->mu);
		}
	}
	bool rest = at_rest(c);
	if (rest && st)
		*st = c->stop;
	pthread_mutex_unlock(&c->mu);
	return rest;
}

void rp_ctl_drain(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	for (int i = 0; c->nin > 0 && i < 2000; i++) {
		pthread_mutex_unlock(&c->mu);
		wake_all(r);
		usleep(5000);
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
}

void rp_ctl_pause(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	bool wake = !c->pause && !c->ended;
	if (wake) {
		c->pause = true;
		memset(&c->stop, 0, sizeof(c->stop));
		c->stop.reason = RPS_PAUSED;
	}
	pthread_mutex_unlock(&c->mu);
	if (wake)
		wake_all(r);
}

void rp_ctl_close(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	rp_ctl_pause(r);
	bool rest = rp_ctl_wait(r, 10000, NULL);
	pthread_mutex_lock(&c->mu);
	bool ended = c->ended;
	pthread_mutex_unlock(&c->mu);
	/* Every thread frozen, their tables still: kill the program.  (If a
	 * thread never froze, 10 s on, kill anyway: it sees its tasks die.) */
	if ((!ended || !rest) && !c->live)
		workers_kill_all(&r->ws);
	pthread_mutex_lock(&c->mu);
	c->closing = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	wake_all(r);
	pthread_join(c->thread, NULL);
	rp_ckpt_close(r);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	rp_bm_free(c);
	free(c->dbg.sw);
	free(c->dir);
	free(c);
	free((void *)r->opts);
	free(r);
}

/* The live task recorded as rec_tid (the replay is at rest). */
static struct task *find_task(struct replayer *r, int32_t rec_tid, int *worker)
{
	for (int i = 0; i < r->ws.n; i++)
		for (struct task *t = r->ws.w[i].t.tasks; t; t = t->next)
			if ((int32_t)t->rec_tid == rec_tid && !t->dead) {
				*worker = i;
				return t;
			}
	return NULL;
}

/* With c->mu held: queue q for its tracer thread, wait until it is
 * served, take it off the queue and unlock; its result. */
static long serve_req(struct rp_ctl *c, struct rp_req *q)
{
	q->next = c->reqs;
	c->reqs = q;
	pthread_cond_broadcast(&c->cv);
	while (!q->done)
		pthread_cond_wait(&c->cv, &c->mu);
	struct rp_req **pp = &c->reqs;
	while (*pp != q)
		pp = &(*pp)->next;
	*pp = q->next;
	pthread_mutex_unlock(&c->mu);
	return q->ret;
}

long rp_ctl_request(struct replayer *r, int op, int32_t rec_tid, uint64_t addr, void *buf,
                    size_t len)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	if (!settled(c) || c->ended) {
		pthread_mutex_unlock(&c->mu);
		return -EBUSY;
	}
	struct rp_req q = { .op = op, .addr = addr, .buf = buf, .len = len };
	struct task *t = find_task(r, rec_tid, &q.worker);
	if (!t) {
		pthread_mutex_unlock(&c->mu);
		return -ESRCH;
	}
	q.tid = t->tid;
	q.memfd = t->proc->memfd;
	if (op == RQ_READ || op == RQ_WRITE) {
		/* memory needs no tracer: done here, not by a pinned tracer
		 * thread that may wait long for its busy CPU */
		if (op == RQ_WRITE)     /* a software breakpoint's byte */
			q.ret = pt_write(q.memfd, addr, buf, len) < 0 ? -EFAULT : (long)len;
		else if ((q.ret = pt_read(q.tid, q.memfd, addr, buf, len)) >= 0)
			rp_dbg_hide(r, (int32_t)t->proc->rec_pid, addr, buf, (size_t)q.ret);
		else
			q.ret = -EFAULT;
		pthread_mutex_unlock(&c->mu);
		return q.ret;
	}
	return serve_req(c, &q);
}

long rp_ctl_call(struct replayer *r, int worker, long (*fn)(struct replayer *, void *),
                 void *arg)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	settled(c);
	for (int i = 0; worker < 0 && i < r->ws.n; i++)
		if (c->frozen[i])
			worker = i;         /* -1: any frozen thread */
	/* a thread idle with no tracee freezes at the top of its loop
	 * within 20 ms (worker_idle) */
	for (int i = 0; i < 100 && worker >= 0 && worker < r->ws.n && !c->frozen[worker] &&
	                at_rest(c) && !c->ended && !c->failed; i++) {
		pthread_mutex_unlock(&c->mu);
		worker_wake(&r->ws.w[worker]);
		usleep(10000);
		pthread_mutex_lock(&c->mu);
	}
	if (!settled(c) || c->ended || c->failed || worker < 0 || worker >= r->ws.n ||
	    !c->frozen[worker]) {
		pthread_mutex_unlock(&c->mu);
		return -EBUSY;
	}
	struct rp_req q = { .op = RQ_CALL, .worker = worker, .fn = fn, .arg = arg };
	return serve_req(c, &q);
}

size_t rp_ctl_tasks(struct replayer *r, struct rp_task_info *out, size_t n)
{
	struct rp_ctl *c = r->ctl;
	size_t k = 0;
	pthread_mutex_lock(&c->mu);
	if (!settled(c) || c->ended) {
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	for (int i = 0; i < r->ws.n; i++)
		for (struct task *t = r->ws.w[i].t.tasks; t; t = t->next, k++) {
			if (k >= n)
				continue;
			struct rp_task_info *ti = &out[k];
			ti->rec_tid = (int32_t)t->rec_tid;
			ti->rec_pid = (int32_t)t->proc->rec_pid;
			ti->tid = t->tid;
			ti->pid = t->proc->pid;
			ti->stream = t->dom ? t->dom->id : 0;
			ti->holder = t->dom && t->dom->s->holder == t;
			ti->state = t->dead ? 3 : !t->parked ? 2 : ti->holder ? 0 : 1;
		}
	pthread_mutex_unlock(&c->mu);
	return k;
}
