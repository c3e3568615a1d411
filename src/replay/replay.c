/* replay.c -- the replayer's lifecycle, event streams and scheduling.
 *
 * Replay runs the recorded program again, from the trace's own copy of its
 * binary, and answers every system call from the trace: the call is skipped
 * and its recorded result and out-memory are written into the task.  Only
 * calls that shape the address space or per-task kernel state run for real
 * (replay_syscall.c).  Each stop is checked against the next recorded
 * event; the first difference ends the replay with one line saying where.
 *
 * Every memory domain replays from its own stream, independently of the
 * others.  Inside a domain the stream says which task holds it (EV_SWITCH):
 * every task that stops is parked, and only the holder is let go, when the
 * next event is its own. */
#include "replay/replay_int.h"

#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/page.h"
#include "core/ptrace.h"
#include "core/sig.h"
#include "core/scratch.h"
#include "core/spawn.h"
#include "core/store.h"
#include "replay/replay_ckpt.h"
#include "syscalls/decode.h"
#include "syscalls/table.h"

static struct replayer *active;

static void kill_everything(void)
{
	if (!active)
		return;
	workers_kill_all(&active->ws);
	rp_remove_scratch(active);
}

/* ---- event streams ----------------------------------------------------- */

static bool fill(struct domain *d)
{
	if (d->end)
		return false;
	const uint8_t *p;
	size_t len;
	uint64_t idx;
	enum trc_read_status st = trc_reader_next(d->rd, &p, &len, &idx);
	if (st != TRC_OK) {
		d->end = st;
		if (st == TRC_CORRUPT)
			fatal("%s", err_get());
		return false;
	}
	if (ev_decode(p, len, &d->ev[d->nev]) < 0)
		fatal("domain %u, event %llu: %s", d->id, (unsigned long long)idx, err_get());
	d->idx[d->nev++] = idx;
	return true;
}

static const struct event *dom_peek(struct domain *d, int ahead)
{
	while (d->nev <= ahead)
		if (!fill(d))
			return NULL;
	return &d->ev[ahead];
}

static void dom_consume(struct replayer *r, struct domain *d)
{
	ASSERT(d->nev > 0);
	if (r->fds_on)
		fdtab_event(&r->fds, &d->ev[0]);
	ev_clear(&d->ev[0]);
	if (d->nev == 2) {
		d->ev[0] = d->ev[1];
		d->idx[0] = d->idx[1];
		memset(&d->ev[1], 0, sizeof(d->ev[1]));
	}
	d->nev--;
	__atomic_fetch_add(&r->events, 1, __ATOMIC_RELAXED);
}

static uint64_t dom_index(struct domain *d)
{
	return d->nev ? d->idx[0] : trc_reader_position(d->rd);
}

const struct event *rp_peek(struct replayer *r, struct task *t, int ahead)
{
	return dom_peek(t->dom, ahead);
}

uint64_t rp_index(struct replayer *r, struct task *t) { return dom_index(t->dom); }

void rp_consume(struct replayer *r, struct task *t) { dom_consume(r, t->dom); }

struct domain *rp_open_domain(struct replayer *r, uint32_t id)
{
	struct domain *d = domain_find(&self->t, id);
	if (d)
		return d;
	d = domain_new(&self->t, id);
	d->rd = trc_reader_open(r->dir, id, true);
	if (!d->rd)
		fatal("%s", err_get());
	return d;
}

/* ---- errors ------------------------------------------------------------ */

void rp_describe(const struct event *ev, char *buf, size_t len)
{
	if (!ev) {
		snprintf(buf, len, "the end of the trace");
		return;
	}
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	ev_print(f, ev);
	fclose(f);
	if (strlen(text) > 160)
		strcpy(text + 150, "...");
	snprintf(buf, len, "%s", text);
	free(text);
}

static void vdiverge(struct replayer *r, struct domain *d, struct task *t, const char *fmt,
                     va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (r->hdr.sbuf_rev != SB_REVISION) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, " (this trace was recorded by scribe %s, whose "
		         "syscall buffer differs from this one's: replay it with that version)",
		         r->hdr.scribe_version ? r->hdr.scribe_version : "?");
	}
	if (r->ctl) {
		/* a session stops here (the fatal() below does not return to
		 * exit): keep what the caller inspects */
		char want[256];
		rp_describe(d && d->nev ? &d->ev[0] : NULL, want, sizeof(want));
		rp_ctl_note_divergence(r, d ? d->id : 0, d ? dom_index(d) : 0,
		                       t ? (int32_t)t->rec_tid : 0, want);
	}
	if (d && d->id)
		fatal("replay diverged at event %llu of domain %u (tid %u): %s",
		      (unsigned long long)dom_index(d), d->id, t ? t->rec_tid : 0, msg);
	fatal("replay diverged at event %llu (tid %u): %s",
	      d ? (unsigned long long)dom_index(d) : 0ull, t ? t->rec_tid : 0, msg);
}

void rp_diverge(struct replayer *r, struct task *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiverge(r, t ? t->dom : NULL, t, fmt, ap);
	va_end(ap);
	abort();
}

static _Noreturn void dom_diverge(struct replayer *r, struct domain *d, struct task *t,
                                  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiverge(r, d, t, fmt, ap);
	va_end(ap);
	abort();
}

/* A complete recording says how many events each stream has. */
static bool stream_cut(struct replayer *r, struct domain *d)
{
	return r->hdr.complete && d->id < r->hdr.n_stream_events &&
	       trc_reader_position(d->rd) < r->hdr.stream_events[d->id];
}

void rp_trace_ended(struct replayer *r, struct task *t, const char *what)
{
	if (stream_cut(r, t->dom) || t->dom->end == TRC_TRUNCATED || !r->hdr.complete)
		fatal("trace ends early at event %llu%s: %s", (unsigned long long)rp_index(r, t),
		      t->dom->id ? " of a domain" : "", trc_end_reason(&r->hdr));
	rp_diverge(r, t, "the trace has ended, but the program went on (%s)", what);
}

static struct task *dom_task(struct replayer *r, struct domain *d, uint32_t rec_tid);
static void other_exit(struct replayer *r, struct domain *d, struct task *x,
                       const struct event *ev);

/* ---- resuming tasks ---------------------------------------------------- */

void rp_resume_sig(struct replayer *r, struct task *t, int sig)
{
	if (r->ctl)
		rp_dbg_check_watch(r, t);
	rp_sb_load(r, t);
	const struct event *next = rp_peek(r, t, 0);
	if (!next && !r->hdr.complete)
		/* The recording was interrupted here: past this point nothing
		 * was recorded, and a task computing in user code would never
		 * stop to find that out. */
		rp_trace_ended(r, t, "");
	while (next && next->type == EV_JOIN && next->tid != t->rec_tid) {
		/* Another domain mapped memory this one shares while t ran:
		 * the recording went on with t holding the group. */
		rp_group_join(r, t->dom, next->sched.group);
		rp_consume(r, t);
		rp_sb_load(r, t);
		next = rp_peek(r, t, 0);
	}
	while (next && next->type == EV_EXIT && next->tid != t->rec_tid && !t->injecting) {
		/* The death of another task (killed with its process, by a
		 * sibling's exit_group) written while t went from its call to
		 * what comes next, a signal maybe: take it now. */
		struct task *x = dom_task(r, t->dom, next->tid);
		if (!x || x == t->dom->s->holder)
			break;
		other_exit(r, t->dom, x, next);
		next = rp_peek(r, t, 0);
	}
	if (next && next->type == EV_JOIN && next->tid == t->rec_tid && !sig) {
		/* Its domain joined a group someone else held: when recording
		 * it waited right here for its turn. */
		domain_park(t->dom, t, SYNTH_RESUME);
		rp_advance(r, t->dom);
		return;
	}
	if (next && next->tid == t->rec_tid &&
	    (next->type == EV_PREEMPT ||
	     (next->type == EV_SIGNAL && next->sig.kind == SIGK_AT_SIGNATURE))) {
		rp_locate(r, t, next, sig);
		return;
	}
	if (next && next->tid == t->rec_tid && !t->injecting && next->type == EV_SIGNAL &&
	    next->sig.kind == SIGK_AFTER_SYSCALL) {
		/* Taken on the way out of the call just replayed, by a path
		 * that did not send it before the call (a fork's): pending now,
		 * it is delivered as the task leaves the kernel. */
		rp_send_signal(r, t, next);
	}
	if (next && next->tid == t->rec_tid && !t->injecting) {
		/* An asynchronous death: at record the task died somewhere in
		 * user space before its next syscall.  Nothing it does before
		 * then is observable, so it may die now, which also ends tasks
		 * that would spin forever without a syscall. */
		if (next->type == EV_SIGNAL && next->sig.kind == SIGK_FATAL)
			rp_send_signal(r, t, next);
		else if (rp_sigkill_death(next))
			kill(t->tid, SIGKILL);
	} else if (rp_sigkill_death(next)) {
		/* A task of the domain waiting for its turn (a new thread at
		 * its first stop) was SIGKILLed from outside while this one
		 * ran: its process dies now (a SIGKILL takes every thread), or
		 * no stop of theirs would ever come to move the stream on. */
		struct task *x = dom_task(r, t->dom, next->tid);
		if (x && x->parked && !x->dead)
			kill(x->tid, SIGKILL);
	}
	pt_cont(t->tid, sig);
}

/* ---- dispatch of one stop ---------------------------------------------- */

bool rp_entry_stop(pid_t tid, int status)
{
	if (!WIFSTOPPED(status))
		return false;
	if (((unsigned)status >> 16) == PTRACE_EVENT_SECCOMP)
		return true;
	return pt_sysemu() && WSTOPSIG(status) == (SIGTRAP | 0x80) && pt_at_entry(tid);
}

static void dispatch(struct replayer *r, struct task *t, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	if (!t->started) {
		t->started = true;
		if (event == PTRACE_EVENT_STOP) {   /* a new task's first stop */
			rp_resume(r, t);
			return;
		}
	}
	if (event == PTRACE_EVENT_STOP) {   /* interrupt, or a parked resume */
		rp_resume(r, t);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (rp_entry_stop(t->tid, status))    /* PTRACE_SYSEMU's */
			rp_syscall_entry(r, t);
		else
			rp_syscall_exit(r, t);
		return;
	}
	if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
		rp_syscall_entry(r, t);
		return;
	}
	if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
		rp_exec(r, t);
		return;
	}
	if (sig == SIGTRAP && (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	                       event == PTRACE_EVENT_CLONE)) {
		rp_fork_event(r, t);
		return;
	}
	if (sig == SIGTRAP && event) {
		pt_cont(t->tid, 0);
		return;
	}
	rp_signal_stop(r, t, sig);
}

static struct task *dom_task(struct replayer *r, struct domain *d, uint32_t rec_tid)
{
	for (struct task *k = self->t.tasks; k; k = k->next)
		if (k->rec_tid == rec_tid && k->dom == d)
			return k;
	return NULL;
}

static void check_exit(struct replayer *r, struct domain *d, struct task *t,
                       const struct event *ev)
{
	if (ev->exit.status == t->exit_status)
		return;
	char want[64], got[64];
	struct event b = *ev;
	b.exit.status = t->exit_status;
	rp_describe(ev, want, sizeof(want));
	rp_describe(&b, got, sizeof(got));
	dom_diverge(r, d, t, "expected %s, got %s", want, got);
}

/* A task's exit was matched with its EV_EXIT: forget it. */
static void task_gone(struct replayer *r, struct domain *d, struct task *x)
{
	if (x->tid == r->root) {
		r->root_done = true;
		r->root_status = x->exit_status;
	}
	task_free(&self->t, x);
	if (d->ntasks == 0)
		workers_domain_gone(&r->ws, self);
	workers_task_died(&r->ws);
}

/* The exit of a task that does not hold the domain, next in the stream:
 * consume it. */
static void other_exit(struct replayer *r, struct domain *d, struct task *x,
                       const struct event *ev)
{
	if (!x->dead) {
		/* Killed by a sibling's exit_group or exec, which on replay
		 * comes later (its death reached the recorder before the
		 * killer's next event), or killed from outside.  Expect the
		 * death; it is checked when it happens. */
		if (x->parked && rp_sigkill_death(ev))
			kill(x->tid, SIGKILL);
		x->exit_expected = true;
		x->exit_status = ev->exit.status;
		dom_consume(r, d);
		return;
	}
	check_exit(r, d, x, ev);
	dom_consume(r, d);
	task_gone(r, d, x);
}

/* Move a domain's stream forward as far as its tasks allow: hand the
 * domain over at EV_SWITCH, collect exits, and let the holder go when the
 * next event is its own. */
void rp_advance(struct replayer *r, struct domain *d)
{
	for (;;) {
		struct task *h = d->s->holder;
		const struct event *ev = dom_peek(d, 0);
		if (!ev) {
			if (r->ctl)
				rp_ctl_stream_end(r, d);
			/* A task that died waits for its EV_EXIT; none will come. */
			for (struct task *x = self->t.tasks; x; x = x->next)
				if (x->dom == d && x->dead)
					rp_trace_ended(r, x, "a task exited");
			if (h && h->parked) {   /* let it run into the end */
				domain_unpark_task(d, h);
				dispatch(r, h, h->parked_status);
			}
			return;
		}
		if (ev->type == EV_EXIT) {
			struct task *x = dom_task(r, d, ev->tid);
			if (!x)
				dom_diverge(r, d, h, "the trace has an exit of task %u, unknown here", ev->tid);
			if (!x->dead && x == h) {
				/* The holder dies without a syscall: killed from
				 * outside, or it is on its way.  A SIGKILL from
				 * outside (its killer's call is answered from the
				 * trace, not made) is sent now: the holder may be
				 * computing forever, and while it holds the domain
				 * nothing can see what it does before it dies. */
				if (rp_sigkill_death(ev))
					kill(x->tid, SIGKILL);
				if (x->parked) {
					if (r->ctl && rp_ctl_boundary(r, d, x, ev))
						return;   /* parked at a bookmark */
					domain_unpark_task(d, x);
					dispatch(r, x, x->parked_status);
				}
				return;
			}
			other_exit(r, d, x, ev);
			continue;
		}
		if (ev->type == EV_JOIN) {
			rp_group_join(r, d, ev->sched.group);
			dom_consume(r, d);
			continue;
		}
		if (ev->type == EV_RELEASE) {
			if (h && !h->parked && !h->dead)
				return;         /* not yet at the point it let go */
			uint64_t seq = ev->sched.seq;
			dom_consume(r, d);
			rp_group_release(r, d, seq);
			continue;
		}
		if (ev->type == EV_SWITCH) {
			if (h && !h->parked && !h->dead)
				return;         /* wait for the holder to stop */
			if (ev->sched.seq && !rp_group_turn(r, d, ev->sched.seq))
				return;         /* another domain of the group goes first */
			struct task *x = dom_task(r, d, ev->tid);
			if (!x)
				dom_diverge(r, d, h, "the trace switches to task %u, unknown here", ev->tid);
			dom_consume(r, d);
			d->s->holder = x;
			if (x->parked && ((unsigned)x->parked_status >> 16) == PTRACE_EVENT_STOP) {
				/* Parked where it has no event of its own (its first
				 * stop, or a preemption point): when recording it ran
				 * from there to its next stop before anything else
				 * happened in the domain, so it must run now. */
				domain_unpark_task(d, x);
				dispatch(r, x, x->parked_status);
				return;
			}
			continue;
		}
		if (!h || h->rec_tid != ev->tid) {
			char want[256];
			rp_describe(ev, want, sizeof(want));
			struct task *x = dom_task(r, d, ev->tid);
			if (x && !h) {          /* the domain's first task */
				d->s->holder = x;
				continue;
			}
			dom_diverge(r, d, h, "expected %s, but task %u holds the domain", want,
			            h ? h->rec_tid : 0);
		}
		if (h->parked) {
			/* the one place a session decides to stop */
			if (r->ctl && rp_ctl_boundary(r, d, h, ev))
				return;           /* parked at a bookmark */
			domain_unpark_task(d, h);
			dispatch(r, h, h->parked_status);
		}
		return;
	}
}

void rp_go_on(struct replayer *r, struct domain *d)
{
	struct task *h = d->s->holder;
	if (h && h->parked) {
		domain_unpark_task(d, h);
		dispatch(r, h, h->parked_status);
	}
}

/* ---- the loop ---------------------------------------------------------- */

static void on_exit_status(struct replayer *r, struct task *t, int status)
{
	if (!t->proc->execed)   /* the child could not exec the trace's image */
		fatal("cannot execute the trace's copy of the program in %s or %s "
		      "(is it on a noexec mount?)", files_dir(r->files), r->scratch);
	if (t->parked)
		domain_unpark_task(t->dom, t);
	struct domain *d = t->dom;
	if (t->exit_expected) {       /* its EV_EXIT was taken already */
		if (status != t->exit_status) {
			struct event want = { .type = EV_EXIT, .tid = t->rec_tid };
			want.exit.status = t->exit_status;
			t->exit_status = status;
			check_exit(r, d, t, &want);
		}
		task_gone(r, d, t);
	} else {
		t->dead = true;
		t->exit_status = status;
	}
	rp_advance(r, d);
}

/* Did the holder, just stopped at a syscall entry, let the domain go
 * there when recording?  Then the stream goes on with another task. */
static bool released_here(struct task *t)
{
	const struct event *ev = t->dom->s->holder == t ? dom_peek(t->dom, 0) : NULL;
	return ev && (ev->type == EV_SWITCH || ev->type == EV_RELEASE);
}

/* A task handed to this thread: take it over, let its domain go on. */
static void adopt(struct replayer *r, struct handoff *h)
{
	struct task *t = h->task;
	tracees_link(&self->t, t);
	if (!page_attach(t->tid, &h->regs)) {
		/* SIGKILLed on the way (by us: its process was killed as the
		 * trace says); detached, its death reaches no waitpid of ours. */
		free(h);
		on_exit_status(r, t, SIGKILL);
		return;
	}
	pin_task(t->tid, self->cpu);
	if (r->ctl)
		rp_dbg_task(r, t, false);
	domain_park(t->dom, t, h->status);
	rp_advance(r, t->dom);
	free(h);
}

void rp_wake_handler(bool only_if_default)
{
	worker_wake_handler(only_if_default);
}

/* The replayer a tracer thread works for (its worker is one of r->ws.w). */
static struct replayer *replayer_of(struct worker *w)
{
	return (struct replayer *)((char *)(w - w->id) - offsetof(struct replayer, ws.w));
}

static void *worker_loop(void *arg)
{
	struct replayer *volatile r = replayer_of(arg);
	pt_set_sysemu(r->opts->sysemu);
	if (r->ctl) {
		/* a session's thread leaves from here when it is closed
		 * (worker 0, the session's own thread, from rp_session) */
		if (self->id != 0 && setjmp(r->ctl->jb[self->id]))
			return NULL;
		rp_ctl_thread_enter(r);
		/* a restored checkpoint sends a frozen thread back here */
		if (setjmp(r->ctl->rjb[self->id]))
			rp_ckpt_restarted(r);
	}
	while (!workers_done(&r->ws)) {
		if (r->ctl)
			rp_ctl_loop_top(r);
		struct handoff *h;
		while ((h = worker_take(&r->ws, self)))
			adopt(r, h);
		rp_wake_output(r);
		rp_poll_groups(r);
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD) {
				/* A bug or a damaged trace can leave tasks
				 * expected that no tracee will ever become. */
				if (r->ctl)          /* no task here: nothing to freeze */
					rp_ctl_idle(r, true);
				uint64_t idle = worker_idle(&r->ws, self);
				if (r->ctl)
					rp_ctl_idle(r, false);
				if (idle > 1000000000ull)
					fatal("replay stuck: no task is left to run, but %ld of the "
					      "trace's tasks never ended (corrupt trace?)", r->ws.live);
				continue;
			}
			fatal("waitpid: %s", strerror(errno));
		}
		rp_on_wait(r, tid, status);
	}
	if (r->ctl)
		rp_ctl_thread_leave(r);
	return NULL;
}

void rp_on_wait(struct replayer *r, pid_t tid, int status)
{
	__atomic_fetch_add(&r->stops, 1, __ATOMIC_RELAXED);
	struct task *t = task_find(&self->t, tid);
	if (!t) {
		if (WIFSTOPPED(status))
			early_add(&self->t, tid, status);
		return;
	}
	if (t->dead)
		return;
	if (WIFSTOPPED(status) && ((unsigned)status >> 16) == PTRACE_EVENT_EXEC) {
		/* execve from a thread that is not the leader: it takes
		 * the leader's tid, the leader dies without a word. */
		pid_t former = (pid_t)pt_geteventmsg(tid);
		struct task *x = former != tid ? task_find(&self->t, former) : NULL;
		if (x) {
			x->tid = tid;
			on_exit_status(r, t, 0);
			t = x;
		}
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		on_exit_status(r, t, status);
	} else if (WIFSTOPPED(status)) {
		if (r->ctl && rp_dbg_trap(r, t, status))
			return;
		if (rp_drop_outside_signal(t, status) || rp_page_call(t, status))
			return;
		if (!t->started && ((unsigned)status >> 16) == PTRACE_EVENT_STOP) {
			rp_first_stop(r, t);
			if (r->ctl)
				rp_dbg_task(r, t, false);
		}
		if (rp_entry_stop(tid, status) && released_here(t))
			rp_entry_released(r, t);
		domain_park(t->dom, t, status);
		rp_advance(r, t->dom);
	}
}

/* Build a NULL-terminated vector of C strings from recorded bytes. */
static char **strvec(const struct ev_bytes *v, uint32_t n)
{
	char **out = xcalloc(n + 1, sizeof(char *));
	for (uint32_t i = 0; i < n; i++) {
		out[i] = xmalloc(v[i].len + 1);
		memcpy(out[i], v[i].p, v[i].len);
		out[i][v[i].len] = 0;
	}
	return out;
}

static void free_strvec(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static void on_interrupt(int sig)
{
	/* Ctrl-C or a kill on replay: take the program down with us. */
	kill_everything();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Any domain with events left once every task is gone diverged. */
static void check_streams_done(struct replayer *r)
{
	for (int i = 0; i < r->ws.n; i++)
	for (struct domain *d = r->ws.w[i].t.doms; d; d = d->next) {
		const struct event *left = dom_peek(d, 0);
		if (left) {
			char what[256];
			rp_describe(left, what, sizeof(what));
			dom_diverge(r, d, NULL, "the program ended, but the trace goes on with %s", what);
		}
		if (d->end == TRC_TRUNCATED || stream_cut(r, d))
			fatal("trace ends early at event %llu%s: %s", (unsigned long long)dom_index(d),
			      d->id ? " of a domain" : "", trc_end_reason(&r->hdr));
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The --stats summary, on stderr after the program's own output. */
static void print_stats(struct replayer *r)
{
	uint32_t ndom = 0;
	for (int i = 0; i < r->ws.n; i++)
		for (struct domain *d = r->ws.w[i].t.doms; d; d = d->next)
			ndom++;
	fprintf(stderr, "scribe: replayed %llu events in %u domain%s on %d tracer thread%s\n",
	        (unsigned long long)r->events, ndom, ndom == 1 ? "" : "s", r->ws.n,
	        r->ws.n == 1 ? "" : "s");
	fprintf(stderr, "scribe: %d preemption%s and %d asynchronous signal%s placed by "
	        "signature (%d spin fixed point%s, %d snapshot%s, %.1f MiB restored)\n",
	        r->npreempt, r->npreempt == 1 ? "" : "s", r->nasync, r->nasync == 1 ? "" : "s",
	        r->nfixed, r->nfixed == 1 ? "" : "s", r->nsnap, r->nsnap == 1 ? "" : "s",
	        r->snap_bytes / 1048576.0);
	if (r->nplace) {
		qsort(r->place_ns, r->nplace, sizeof(*r->place_ns), cmp_u64);
		fprintf(stderr, "scribe: placing them took %.3f ms median, %.3f ms worst\n",
		        r->place_ns[r->nplace / 2] / 1e6, r->place_ns[r->nplace - 1] / 1e6);
	}
	free(r->place_ns);
}

/* Read the trace and start its program, stopped at its first exec, in
 * this thread (worker 0).  -1 with err_get() saying why (not a fatal). */
static int replay_begin(struct replayer *r)
{
	if (trc_header_read(r->dir, &r->hdr) < 0)
		return -1;
	if (r->hdr.cpu && strcmp(r->hdr.cpu, cpu_signature()) != 0)
		warn("this trace was recorded on a different CPU (recorded: %s; here: %s); "
		     "programs that choose code paths by cpuid may diverge", r->hdr.cpu,
		     cpu_signature());
	pthread_mutex_init(&r->out_mu, NULL);
	fdtab_init(&r->fds, r->hdr.cwd);
	r->fds.start_fds = r->hdr.fds;
	r->fds.start_len = r->hdr.fds_len;
	r->fds_on = true;
	workers_init(&r->ws, MAX_WORKERS);
	struct domain *d0 = domain_new(&self->t, 0);
	self->ndomains = 1;
	d0->rd = trc_reader_open(r->dir, 0, true);
	if (!d0->rd)
		return -1;
	if (!r->ctl) {
		active = r;
		set_fatal_cleanup(kill_everything);
	}
	const struct event *first = dom_peek(d0, 0);
	if (!first) {
		if (d0->end == TRC_END && r->hdr.complete)
			fatal("the trace has no events (corrupt trace)");
		fatal("trace ends early at event 0: %s", trc_end_reason(&r->hdr));
	}
	if (first->type != EV_EXEC)
		fatal("the trace does not start with the program's exec (corrupt trace)");
	/* the fds it started with, there already at a stop before its exec */
	r->fds.started = true;
	fdtab_inherit(&r->fds, (int)first->tid, r->hdr.fds, r->hdr.fds_len);

	const struct replay_opts *o = r->opts;
	pt_set_sysemu(o->sysemu);
	r->scratch = scratch_create(&r->scratch_fd);
	if (!r->scratch)
		fatal("%s", err_get());
	char *objdir = store_find(r->dir, r->hdr.packed, r->hdr.store, o->store);
	r->files = files_open_replay(r->dir, objdir, r->scratch, o->store);
	free(objdir);
	char *image = rp_image(r, &first->exec);
	char **argv = strvec(first->exec.argv, first->exec.argc);
	char **envp = strvec(first->exec.envp, first->exec.envc);
	struct rlimit stack = { r->hdr.rlimit_stack[0], r->hdr.rlimit_stack[1] };
	struct spawn sp = { .path = image, .argv = argv, .envp = envp, .cpu = self->cpu,
	                    .stack = r->hdr.rlimit_stack[0] ? &stack : NULL,
	                    .no_core = true, .dir = files_dir(r->files),
	                    /* traces without them: what a shell's foreground
	                       command starts with */
	                    .set_signals = true, .sig_ignored = r->hdr.sig_ignored,
	                    .sig_blocked = r->hdr.sig_blocked, .no_filter = o->sysemu };
	struct sigaction sa = {0};
	if (!r->ctl) {
		/* a library session leaves the caller's signals alone */
		sa.sa_handler = on_interrupt;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		signal(SIGPIPE, SIG_DFL);
	}
	if (!r->ctl)
		rp_wake_handler(false);     /* a session's was set by rp_ctl_open */
	pid_t pid = spawn_traced(&sp, &r->errfd);
	free(image);
	free_strvec(argv);
	free_strvec(envp);
	if (pid < 0)
		fatal("%s", err_get());
	r->root = pid;
	struct process *p = proc_new(&self->t, pid, first->tid);
	struct task *t0 = task_new(&self->t, p, pid, first->tid);
	task_set_domain(t0, d0);
	t0->started = true;
	d0->s->holder = t0;
	workers_task_born(&r->ws);
	return 0;
}

/* Free what replay_begin made (the program is gone). */
static void replay_free(struct replayer *r)
{
	if (r->errfd > 0)
		close(r->errfd);
	active = NULL;
	set_fatal_cleanup(NULL);
	for (int i = 0; i < r->ws.n; i++) {
		struct domain *dn;
		for (struct domain *d = r->ws.w[i].t.doms; d; d = dn) {
			dn = d->next;
			if (d->rd)
				trc_reader_close(d->rd);
			for (int k = 0; k < d->nev; k++)
				ev_clear(&d->ev[k]);
			free(d);       /* (a session's process lives on) */
		}
		r->ws.w[i].t.doms = NULL;
	}
	if (r->fds_on)
		fdtab_destroy(&r->fds);
	r->fds_on = false;
	trc_header_free(&r->hdr);
	free(r->kids);
	if (r->files)
		files_close(r->files);
}

int replay_run(const struct replay_opts *o, int *status)
{
	struct replayer rep = {0};
	struct replayer *r = &rep;
	r->opts = o;
	r->dir = o->dir;
	if (replay_begin(r) < 0) {
		err_print();
		return -1;
	}
	workers_start(&r->ws, worker_loop);
	rp_watch_start(r);
	worker_loop(self);
	workers_join(&r->ws);
	rp_watch_stop(r);

	check_streams_done(r);
	rp_remove_scratch(r);
	if (o->stats)
		print_stats(r);
	replay_free(r);
	*status = r->root_status;
	if (rp_output_error(r)) {
		err_print();
		return -1;
	}
	return 0;
}

/* The thread of a libscribe session (replay_ctl.h): the replay as above,
 * but a failure stops it (the fatal hook freezes the thread that failed)
 * and rp_ctl_close makes every tracer thread leave from its jb. */
void *rp_session(void *arg)
{
	struct replayer *r = arg;
	struct rp_ctl *c = r->ctl;
	volatile int stage = 0;          /* 1 begun, 2 threads started, 3 joined */
	rp_ctl_thread_enter(r);
	if (setjmp(c->jb[0]) == 0) {
		if (replay_begin(r) < 0)
			fatal("%s", err_get());
		stage = 1;
		rp_ctl_threads(r, r->ws.n);
		workers_start(&r->ws, worker_loop);
		rp_watch_start(r);
		stage = 2;
		worker_loop(self);
		rp_ctl_drain(r);
		workers_join(&r->ws);
		rp_watch_stop(r);
		stage = 3;
		check_streams_done(r);
		rp_ctl_ended(r, r->root_status);
	} else if (stage == 2) {             /* closed: everyone leaves */
		workers_end(&r->ws);
		workers_join(&r->ws);
		rp_watch_stop(r);
	}
	rp_remove_scratch(r);
	if (stage >= 1 && !c->live)          /* a live program is the caller's */
		rp_ctl_reap(r->root);
	replay_free(r);
	return NULL;
}
