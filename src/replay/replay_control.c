/* replay_control.c -- stopping a libscribe session's replay, and serving
 * the controller's requests while it is stopped (replay_ctl.h).
 *
 * Every tracer thread of a session freezes in freeze(): at an event
 * boundary (rp_ctl_boundary, from rp_advance) or at the top of its loop
 * (rp_ctl_loop_top).  Frozen, it holds no lock of the engine's and all its
 * tasks are in ptrace stops, so it can serve ptrace requests for them; it
 * thaws when the controller resumes, and leaves by longjmp (its loop's
 * jb) when the session is closed. */
#include "replay/replay_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/ptrace.h"
#include "core/util.h"
#include "replay/replay_ckpt.h"

/* The session of this thread (its fatal hook needs it). */
static __thread struct replayer *cur;
/* rp_diverge's facts for the fatal() that follows, in this thread. */
static __thread bool diverging;
static __thread struct rp_stop div_note;

static bool is_worker_thread(struct replayer *r)
{
	return self && self >= r->ws.w && self < r->ws.w + r->ws.n;
}

/* Wake every other tracer thread out of waitpid, so it freezes. */
static void wake_others(struct replayer *r)
{
	for (int i = 0; i < r->ws.n; i++)
		if (&r->ws.w[i] != self)
			worker_wake(&r->ws.w[i]);
}

static void serve(struct replayer *r, struct rp_req *q)
{
	errno = 0;
	switch (q->op) {
	case RQ_CALL:
		q->ret = q->fn(r, q->arg);
		break;
	case RQ_REGS:
		q->ret = pt_getregs(q->tid, q->buf) ? (long)sizeof(struct user_regs_struct) : -ESRCH;
		break;
	case RQ_XSAVE:
		q->ret = pt_getxstate(q->tid, q->buf, q->len);
		if (q->ret < 0)
			q->ret = -(errno ? errno : ESRCH);
		break;
	case RQ_GOLIVE:             /* every task of this thread */
		q->ret = rp_golive_worker(r, q->addr != 0, q->buf, q->len);
		break;
	case RQ_READ:
		q->ret = pt_read(q->tid, q->memfd, q->addr, q->buf, q->len);
		if (q->ret < 0)
			q->ret = -(errno ? errno : EFAULT);
		break;
	default:
		q->ret = -EINVAL;
	}
	q->done = true;
}

/* With c->mu held: run the requests addressed to this thread. */
static bool serve_mine(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	bool any = false;
	for (struct rp_req *q = c->reqs; q; q = q->next)
		if (!q->done && self && q->worker == self->id) {
			serve(r, q);
			any = true;
		}
	return any;
}

/* Leave the session's thread for good: it is being closed. */
static _Noreturn void leave(struct replayer *r)
{
	if (is_worker_thread(r))
		longjmp(r->ctl->jb[self->id], 1);
	pthread_exit(NULL);                 /* the watchdog */
}

/* Stay here while the replay is paused (forever: until it is closed).
 * True if a checkpoint was restored meanwhile: the caller's pointers into
 * the tables are stale, it must go back to its loop (restart()). */
static bool freeze(struct replayer *r, bool forever)
{
	struct rp_ctl *c = r->ctl;
	bool worker = is_worker_thread(r);
	pthread_mutex_lock(&c->mu);
	c->nfrozen++;
	if (worker)
		c->frozen[self->id] = true;
	pthread_cond_broadcast(&c->cv);
	for (;;) {
		if (serve_mine(r))
			pthread_cond_broadcast(&c->cv);
		if (c->closing || (!forever && !c->pause))
			break;
		pthread_cond_wait(&c->cv, &c->mu);
	}
	c->nfrozen--;
	bool restart = false;
	if (worker) {
		c->frozen[self->id] = false;
		restart = c->restart[self->id];
		c->restart[self->id] = false;
	}
	bool closing = c->closing;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	if (closing)
		leave(r);
	if (!forever)
		rp_dbg_thaw(r);
	return restart;
}

/* Back to the top of this thread's loop after a restore (worker_loop's
 * rjb), where the restored holder goes on. */
static _Noreturn void restart(struct replayer *r)
{
	longjmp(r->ctl->rjb[self->id], 1);
}

bool rp_ctl_report(struct replayer *r, const struct rp_stop *st)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	bool mine = !c->pause;
	if (mine) {
		c->pause = true;
		c->cond.set = false;
		c->stop = *st;
	}
	pthread_mutex_unlock(&c->mu);
	if (mine)
		wake_others(r);
	if (freeze(r, false))
		restart(r);        /* a checkpoint was restored meanwhile */
	return mine;
}

/* The syscall or signal number of an event, or -1. */
static int32_t event_nr(const struct event *ev)
{
	if (ev->type == EV_SYSCALL)
		return (int32_t)ev->sys.nr;
	if (ev->type == EV_SIGNAL)
		return ev->sig.signo;
	return -1;
}

/* Is the task, stopped with this status, at the event itself (a syscall at
 * its seccomp stop, a signal at its delivery), rather than on its way? */
static bool at_event(pid_t tid, int status, const struct event *ev)
{
	unsigned e = (unsigned)status >> 16;
	if (!WIFSTOPPED(status) || e == PTRACE_EVENT_STOP)
		return false;
	if (ev->type == EV_SYSCALL || WSTOPSIG(status) == (SIGTRAP | 0x80))
		return ev->type == EV_SYSCALL && rp_entry_stop(tid, status);
	return true;
}

/* An EV_EXIT is taken once the task is gone, at no stop: a stop "at an
 * exit" is before the exit or exit_group call that ends it (a death by a
 * signal stops at that signal, which is of kind signal). */
static bool exit_call(const struct rp_cond *k, const struct event *ev)
{
	return (k->kinds & (1u << EV_EXIT)) && ev->type == EV_SYSCALL &&
	       (ev->sys.nr == SYS_exit || ev->sys.nr == SYS_exit_group);
}

static bool cond_match(const struct rp_cond *k, struct replayer *r, struct domain *d,
                       struct task *h, const struct event *ev)
{
	if (!k->set || !at_event(h->tid, h->parked_status, ev))
		return false;
	if (k->kinds && !(k->kinds & (1u << ev->type)) && !exit_call(k, ev))
		return false;
	if (k->tid && (int32_t)ev->tid != k->tid)
		return false;
	if (k->nr >= 0 && event_nr(ev) != k->nr)
		return false;
	if (k->at && (d->id != k->stream || rp_index(r, h) < k->index))
		return false;
	if (k->skip && d->id == k->skip_stream && rp_index(r, h) == k->skip_index)
		return false;
	return true;
}

bool rp_ctl_boundary(struct replayer *r, struct domain *d, struct task *h,
                     const struct event *ev)
{
	struct rp_ctl *c = r->ctl;
	bool woke = false, hold = false;
	pthread_mutex_lock(&c->mu);
	if (!c->pause && c->cond.set && c->cond.bm) {
		hold = rp_bm_boundary(r, d, h, ev, at_event(h->tid, h->parked_status, ev));
		woke = c->pause;
	} else if (!c->pause && cond_match(&c->cond, r, d, h, ev)) {
		c->pause = true;
		c->cond.set = false;
		memset(&c->stop, 0, sizeof(c->stop));
		c->stop.reason = RPS_MATCH;
		c->stop.stream = d->id;
		c->stop.index = rp_index(r, h);
		c->stop.tid = (int32_t)h->rec_tid;
		c->stop.kind = ev->type;
		c->stop.nr = event_nr(ev);
		c->stop.tevents = h->ctl_events;
		woke = true;
	}
	h->ctl_events++;
	bool pause = c->pause;
	if (pause && !hold)
		c->at_boundary[self->id] = d;
	pthread_mutex_unlock(&c->mu);
	if (woke)
		wake_others(r);
	if (hold)
		return true;
	if (pause) {
		bool restored = freeze(r, false);
		pthread_mutex_lock(&c->mu);
		c->at_boundary[self->id] = NULL;
		pthread_mutex_unlock(&c->mu);
		if (restored)
			restart(r);
	}
	return false;
}

void rp_ctl_stream_end(struct replayer *r, struct domain *d)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	bool woke = rp_bm_ended(r, d);
	pthread_mutex_unlock(&c->mu);
	if (woke)
		wake_others(r);    /* this thread freezes at the top of its loop */
}

/* Is a thread running (not in a stop that we have or will get)? */
static bool running(struct task *t)
{
	char buf[512];
	char st = proc_state(proc_text(buf, sizeof(buf), "/proc/%d/task/%d/stat",
	                               t->proc->pid, t->tid));
	return st && st != 't' && st != 'T' && st != 'Z' && st != 'X';
}

void rp_ctl_loop_top(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	bool pause = c->pause;
	pthread_mutex_unlock(&c->mu);
	if (!pause) {
		rp_bm_release(r);
		return;
	}
	/* Stop this thread's running tasks where they are (a CPU-bound
	 * program would never reach a boundary).  A task that stopped for
	 * another reason meanwhile keeps that stop, handled once thawed. */
	int all = 0, n = 0;
	for (struct task *t = self->t.tasks; t; t = t->next)
		all++;
	struct rp_got *got = xcalloc(all + 1, sizeof(*got));
	for (struct task *t = self->t.tasks; t && n < all; t = t->next) {
		if (t->parked || t->dead || !running(t))
			continue;
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0)
			continue;
		int st;
		if (waitpid(t->tid, &st, __WALL) == t->tid) {
			got[n].tid = t->tid;
			got[n++].status = st;
		}
	}
	pthread_mutex_lock(&c->mu);
	c->got[self->id] = got;
	c->ngot[self->id] = n;
	pthread_mutex_unlock(&c->mu);
	bool restored = freeze(r, false);
	pthread_mutex_lock(&c->mu);
	c->got[self->id] = NULL;
	c->ngot[self->id] = 0;
	pthread_mutex_unlock(&c->mu);
	if (restored) {
		free(got);              /* those tasks are gone */
		restart(r);
	}
	for (int i = 0; i < n; i++) {
		int st = got[i].status;
		if (WIFSTOPPED(st) && ((unsigned)st >> 16) == PTRACE_EVENT_STOP)
			pt_cont(got[i].tid, 0);
		else
			rp_on_wait(r, got[i].tid, st);
	}
	free(got);
	rp_bm_release(r);
}

/* The fatal() of a session's thread: stop the session with the message,
 * and stay frozen (inspectable) until it is closed. */
static void on_fatal(const char *msg)
{
	struct replayer *r = cur;
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	if (!c->failed) {
		c->failed = true;
		if (diverging) {
			c->stop = div_note;
			c->stop.reason = RPS_DIVERGED;
		} else {
			memset(&c->stop, 0, sizeof(c->stop));
			c->stop.reason = RPS_ERROR;
		}
		snprintf(c->stop.msg, sizeof(c->stop.msg), "%s", msg);
	}
	c->pause = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	diverging = false;
	wake_others(r);
	freeze(r, true);
	leave(r);
}

void rp_ctl_note_divergence(struct replayer *r, uint32_t stream, uint64_t index, int32_t tid,
                            const char *expected)
{
	(void)r;
	diverging = true;
	memset(&div_note, 0, sizeof(div_note));
	div_note.stream = stream;
	div_note.index = index;
	div_note.tid = tid;
	div_note.nr = -1;
	snprintf(div_note.expected, sizeof(div_note.expected), "%s", expected);
}

void rp_ctl_thread_enter(struct replayer *r)
{
	cur = r;
	err_private_thread();
	set_fatal_hook_thread(on_fatal);
}

void rp_ctl_thread_leave(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	c->nin--;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void rp_ctl_idle(struct replayer *r, bool idle)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	c->nidle += idle ? 1 : -1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void rp_ctl_threads(struct replayer *r, int n)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	c->nin = n;
	pthread_mutex_unlock(&c->mu);
}

void rp_ctl_ended(struct replayer *r, int status)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	memset(&c->stop, 0, sizeof(c->stop));
	c->stop.reason = RPS_ENDED;
	c->stop.status = status;
	c->ended = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void rp_ctl_reap(pid_t root)
{
	for (int i = 0; i < 200; i++) {
		int st;
		pid_t p = waitpid(root, &st, __WALL | WNOHANG);
		if (p == root || (p < 0 && errno == ECHILD))
			return;
		usleep(10000);
	}
}

bool rp_ctl_paused(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	if (!c)
		return false;
	pthread_mutex_lock(&c->mu);
	bool p = c->pause || c->failed;
	pthread_mutex_unlock(&c->mu);
	return p;
}
