/* replay_ckpt.c -- checkpoints of a stopped replay session, restored any
 * number of times (replay_ckpt.h; rr's Session::copy_state_to is the
 * model).
 *
 * Taking one: the process is made to fork by a clone injected through the
 * scribe page's syscall instruction, with CLONE_PARENT (the copy is not a
 * child of the replayed program, which may wait for its children) and
 * every signal blocked (nothing may reach the copy, which must never
 * run).  PTRACE_O_TRACEFORK attaches the copy to the tracer thread that
 * injected the call: the one that traces the original, so every later
 * ptrace request on the copy is served by that thread (rp_ctl_call).  The
 * original is put back at the very seccomp stop it was at, and the engine
 * records it depends on are copied.
 *
 * Restoring one: the current program is killed and reaped, the engine's
 * tables emptied; the copy is forked again the same way and the new
 * process led to the checkpoint's seccomp stop (its syscall instruction
 * issued again, with the checkpoint's registers); its records are rebuilt
 * from the copies, its stream reopened at the checkpoint's position.
 *
 * Supported so far: one process of one thread, stopped at a syscall's
 * seccomp stop (a run_until on a syscall event), with no writable
 * MAP_SHARED mapping and no shared-object scratch copy.  Anything else is
 * refused with a message (never copied half). */
#include "replay/replay_ckpt.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/page.h"
#include "core/ptrace.h"
#include "core/util.h"
#include "replay/replay_int.h"

struct rp_ckpt {
	int worker;                    /* the tracer thread of its copy */
	struct rp_stop stop;           /* where it was taken */
	pid_t pid;                     /* the frozen copy (never runs) */
	int status;                    /* its task's stop (a seccomp stop) */
	struct user_regs_struct regs;  /* ... and registers there */
	uint64_t sigmask;              /* the task's (the copy blocks all) */
	/* the engine's records, copied (pointers rebuilt at restore) */
	struct process proc;
	struct task task;
	uint32_t dom_id;
	uint64_t pos;                  /* its stream's next event */
	bool was_root;
	/* the replayer's counters */
	bool root_done;
	int root_status;
	uint64_t events, stops, outseq;
};

const struct rp_stop *rp_ckpt_stop(const struct rp_ckpt *ck) { return &ck->stop; }

/* ---- injected fork ------------------------------------------------------ */

/* The next stop of tid: 0 with *st, -1 if it died (or is not ours). */
static int wait_stop(pid_t tid, int *st)
{
	for (;;) {
		pid_t p = waitpid(tid, st, __WALL);
		if (p == tid)
			return WIFSTOPPED(*st) ? 0 : -1;
		if (p < 0 && errno != EINTR)
			return -1;
	}
}

static bool setregs(pid_t tid, const struct user_regs_struct *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) == 0;
}

/* Resume with `req` and wait for the next stop, which must be `want`
 * (status >> 8). */
static bool step_to(pid_t tid, int req, int want)
{
	int st;
	return ptrace(req, tid, 0, 0) == 0 && wait_stop(tid, &st) == 0 && (st >> 8) == want;
}

/* At a call's entry (seccomp) stop, its call not made yet? */
static bool at_entry(pid_t tid)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info);
	return n > 0 && (info.op == PTRACE_SYSCALL_INFO_ENTRY ||
	                 info.op == PTRACE_SYSCALL_INFO_SECCOMP);
}

#define SYSCALL_STOP (SIGTRAP | 0x80)
#define SECCOMP_STOP (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))

/* Make tid (in a ptrace stop, every signal blocked) fork by a clone
 * injected at the scribe page's syscall instruction, `base` its registers
 * otherwise.  tid is left at the call's exit stop, the child at its first
 * stop, traced by this thread.  The child's tid, or -1. */
static pid_t inject_fork(pid_t tid, const struct user_regs_struct *base)
{
	struct user_regs_struct r = *base;
	if (at_entry(tid)) {
		/* leave the pending call first, not made (pt_call_at) */
		r.orig_rax = -1;
		if (!setregs(tid, &r) || !step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP))
			return -1;
	}
	r = *base;
	r.rip = SCRIBE_PAGE;
	r.rax = r.orig_rax = SYS_clone;
	r.rdi = CLONE_PARENT | SIGCHLD;
	r.rsi = r.rdx = r.r10 = r.r8 = r.r9 = 0;
	if (!setregs(tid, &r) || !step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP) ||
	    !step_to(tid, PTRACE_SYSCALL, SIGTRAP | (PTRACE_EVENT_FORK << 8)))
		return -1;
	unsigned long child = 0;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
	if (!step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP) || !child)
		return -1;
	int st;
	if (wait_stop((pid_t)child, &st) < 0 || (st >> 16) != PTRACE_EVENT_STOP) {
		kill((pid_t)child, SIGKILL);
		return -1;
	}
	return (pid_t)child;
}

/* Take tid, stopped elsewhere, to the seccomp stop of the call it was at
 * with registers `regs` (its syscall instruction issued again). */
static bool to_seccomp_stop(pid_t tid, const struct user_regs_struct *regs)
{
	struct user_regs_struct r = *regs;
	r.rip -= 2;                    /* seccomp reports the next instruction */
	r.rax = regs->orig_rax;
	r.orig_rax = -1;               /* no restart of the injected call */
	return setregs(tid, &r) && step_to(tid, PTRACE_CONT, SECCOMP_STOP) && setregs(tid, regs);
}

/* ---- what can be copied ----------------------------------------------- */

struct take {
	struct rp_ckpt *ck;
	struct task *t;                /* the one task */
	char *err;
	size_t errlen;
};

static long refuse(struct take *k, const char *fmt, const char *what)
{
	snprintf(k->err, k->errlen, fmt, what);
	return -EINVAL;
}

/* Is this domain over (no task, its stream read to its end)? */
static bool dom_over(const struct domain *d)
{
	return d->ntasks == 0 && d->nev == 0 && d->end != TRC_OK;
}

/* Has the process a writable MAP_SHARED mapping (which a fork would
 * share, not copy)? */
static bool shared_writable(pid_t pid)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return true;
	bool any = false;
	while (!any && fgets(line, sizeof(line), f)) {
		char perms[8] = "";
		if (sscanf(line, "%*x-%*x %7s", perms) == 1 && perms[1] == 'w' && perms[3] == 's')
			any = true;
	}
	fclose(f);
	return any;
}

/* On any frozen thread: check the whole replay, find its task.  The index
 * of the worker that traces it, or -EINVAL with the reason. */
static long take_check(struct replayer *r, void *arg)
{
	struct take *k = arg;
	int ntasks = 0, worker = -1;
	for (int i = 0; i < r->ws.n; i++) {
		struct tracees *tt = &r->ws.w[i].t;
		if (tt->nearly || r->ws.w[i].inbox)
			return refuse(k, "a task is %s", "on its way between tracer threads");
		for (struct task *t = tt->tasks; t; t = t->next, ntasks++) {
			k->t = t;
			worker = i;
		}
		for (struct domain *d = tt->doms; d; d = d->next)
			if (d->ntasks && (d->grouped || d->s != &d->own))
				return refuse(k, "%s", "checkpoints of memory shared between "
				              "processes (a domain group) are not supported yet");
			else if (!d->ntasks && !dom_over(d))
				return refuse(k, "%s", "a domain waits for its first task");
	}
	if (ntasks != 1)
		return refuse(k, "checkpoints of %s are not supported yet",
		              ntasks ? "several tasks (threads or processes)" : "no task");
	struct task *t = k->t;
	if (t->dead || !t->parked || t->dom->s->holder != t ||
	    ((unsigned)t->parked_status >> 8) != SECCOMP_STOP || t->injecting || t->rx)
		return refuse(k, "%s", "checkpoints are taken at a syscall the replay stopped at "
		              "(run_until a syscall event), not at this stop");
	for (uint32_t i = 0; i < r->nobjs; i++)
		if (r->objmade[i])
			return refuse(k, "%s", "checkpoints of a program that maps a shared "
			              "object are not supported yet");
	if (r->outwaiters)
		return refuse(k, "%s", "a task waits for its output's turn");
	return worker;
}

/* On the task's thread: fork it, copy its records. */
static long take_fn(struct replayer *r, void *arg)
{
	struct take *k = arg;
	struct rp_ckpt *ck = k->ck;
	struct task *t = k->t;
	pid_t tid = t->tid;
	if (shared_writable(t->proc->pid))
		return refuse(k, "%s", "checkpoints of a process with writable MAP_SHARED "
		              "memory are not supported yet");
	struct user_regs_struct regs;
	uint64_t mask, all = ~0ull;
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0 ||
	    ptrace(PTRACE_GETSIGMASK, tid, sizeof(mask), &mask) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, tid, sizeof(all), &all) < 0)
		return refuse(k, "task %s is gone", "");
	pid_t copy = inject_fork(tid, &regs);
	bool back = to_seccomp_stop(tid, &regs);
	ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
	if (copy < 0 || !back) {
		if (copy > 0) {
			kill(copy, SIGKILL);
			waitpid(copy, NULL, __WALL);
		}
		snprintf(k->err, k->errlen, "cannot fork task %u for a checkpoint", t->rec_tid);
		return -EIO;
	}
	ck->worker = self->id;
	ck->stop = r->ctl->stop;
	ck->pid = copy;
	ck->status = t->parked_status;
	ck->regs = regs;
	ck->sigmask = mask;
	ck->proc = *t->proc;
	ck->proc.mapfds = NULL;
	ck->proc.nmapfds = 0;
	if (t->proc->nmapfds) {
		/* its descriptors on the trace's files: ours, kept open */
		ck->proc.mapfds = xcalloc(t->proc->nmapfds, sizeof(*ck->proc.mapfds));
		for (int i = 0; i < t->proc->nmapfds; i++) {
			ck->proc.mapfds[i].hash = t->proc->mapfds[i].hash;
			ck->proc.mapfds[i].fd = dup(t->proc->mapfds[i].fd);
		}
		ck->proc.nmapfds = t->proc->nmapfds;
	}
	ck->task = *t;
	memset(&ck->task.in_bytes, 0, sizeof(ck->task.in_bytes));
	buf_put(&ck->task.in_bytes, t->in_bytes.p, t->in_bytes.len);
	struct domain *d = t->dom;
	ck->dom_id = d->id;
	ck->pos = d->nev ? d->idx[0] : trc_reader_position(d->rd);
	ck->was_root = t->proc->pid == r->root;
	ck->root_done = r->root_done;
	ck->root_status = r->root_status;
	ck->events = __atomic_load_n(&r->events, __ATOMIC_RELAXED);
	ck->stops = __atomic_load_n(&r->stops, __ATOMIC_RELAXED);
	pthread_mutex_lock(&r->out_mu);
	ck->outseq = r->outseq;
	pthread_mutex_unlock(&r->out_mu);
	return 0;
}

struct rp_ckpt *rp_ckpt_take(struct replayer *r, bool *busy, char *err, size_t errlen)
{
	struct rp_ckpt *ck = xcalloc(1, sizeof(*ck));
	struct take k = { .ck = ck, .err = err, .errlen = errlen };
	*busy = false;
	long w = rp_ctl_call(r, -1, take_check, &k);
	if (w >= 0)
		w = rp_ctl_call(r, (int)w, take_fn, &k);
	if (w < 0) {
		if (w == -EBUSY) {
			*busy = true;
			snprintf(err, errlen, "the replay is not stopped (or is over)");
		}
		free(ck);
		return NULL;
	}
	return ck;
}

/* ---- restore ------------------------------------------------------------ */

static void free_domain(struct domain *d)
{
	if (d->rd)
		trc_reader_close(d->rd);
	for (int i = 0; i < d->nev; i++)
		ev_clear(&d->ev[i]);
	pthread_mutex_destroy(&d->own.mu);
	free(d);
}

/* On any frozen thread: SIGKILL every task of the program.  A thread
 * idle with no tracee (not frozen: it serves no request) has only domains
 * that are over, which it does not touch while idle: they go now, or a
 * domain the restored replay opens again there would be found over. */
static long kill_fn(struct replayer *r, void *arg)
{
	(void)arg;
	for (int i = 0; i < r->ws.n; i++) {
		struct tracees *tt = &r->ws.w[i].t;
		if (!r->ctl->frozen[i] && !tt->tasks) {
			struct domain *dn;
			for (struct domain *d = tt->doms; d; d = dn) {
				dn = d->next;
				free_domain(d);
			}
			tt->doms = NULL;
			r->ws.w[i].ndomains = 0;
		}
		for (struct task *t = tt->tasks; t; t = t->next)
			if (!t->dead)
				kill(t->tid, SIGKILL);
		for (int e = 0; e < tt->nearly; e++)
			kill(tt->early[e].tid, SIGKILL);
	}
	return 0;
}

/* On each thread: reap its killed tasks (threads before their leader,
 * which reports nothing until they are gone); once none is left, empty
 * its tables.  How many are left. */
static long reap_fn(struct replayer *r, void *arg)
{
	(void)arg;
	struct tracees *tt = &self->t;
	long left = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct task *next;
		for (struct task *t = tt->tasks; t; t = next) {
			next = t->next;
			bool leader = t->tid == t->proc->pid;
			if (pass == 0 && leader && t->proc->ntasks > 1)
				continue;
			int st;
			pid_t p = t->dead ? t->tid : waitpid(t->tid, &st, __WALL | WNOHANG);
			if (p == t->tid && !t->dead && WIFSTOPPED(st))
				p = 0;                  /* a stop on its way to death */
			if (p == t->tid || (p < 0 && errno == ECHILD))
				task_free(tt, t);
			else if (pass == 1)
				left++;
		}
	}
	for (int e = 0; e < tt->nearly; e++)
		if (waitpid(tt->early[e].tid, NULL, __WALL | WNOHANG) == 0)
			left++;
	if (left)
		return left;
	tt->nearly = 0;
	struct domain *dn;
	for (struct domain *d = tt->doms; d; d = dn) {
		dn = d->next;
		free_domain(d);
	}
	tt->doms = NULL;
	self->ndomains = 0;
	return 0;
}

/* Reopen domain id's stream at event pos. */
static struct trc_reader *reader_at(struct replayer *r, uint32_t id, uint64_t pos)
{
	struct trc_reader *rd = trc_reader_open(r->dir, id, true);
	while (rd && trc_reader_position(rd) < pos) {
		const uint8_t *p;
		size_t len;
		uint64_t idx;
		if (trc_reader_next(rd, &p, &len, &idx) != TRC_OK) {
			trc_reader_close(rd);
			return NULL;
		}
	}
	return rd;
}

struct restore {
	const struct rp_ckpt *ck;
	char *err;
	size_t errlen;
};

/* On the checkpoint's thread (its tables empty now): fork the copy
 * again, rebuild the records. */
static long restore_fn(struct replayer *r, void *arg)
{
	struct restore *k = arg;
	const struct rp_ckpt *ck = k->ck;
	struct rp_ctl *c = r->ctl;
	struct trc_reader *rd = reader_at(r, ck->dom_id, ck->pos);
	pid_t pid = rd ? inject_fork(ck->pid, &ck->regs) : -1;
	if (pid < 0 || !to_seccomp_stop(pid, &ck->regs) ||
	    ptrace(PTRACE_SETSIGMASK, pid, sizeof(ck->sigmask), &ck->sigmask) < 0) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, __WALL);
		}
		if (rd)
			trc_reader_close(rd);
		snprintf(k->err, k->errlen, "cannot fork the checkpoint's process again");
		return -EIO;
	}
	struct process *p = proc_new(&self->t, pid, ck->proc.rec_pid);
	int memfd = p->memfd;
	struct process *pnext = p->next;
	*p = ck->proc;
	p->pid = pid;
	p->memfd = memfd;
	p->next = pnext;
	p->ntasks = 0;
	p->mapfds = NULL;
	if (ck->proc.nmapfds) {
		p->mapfds = xcalloc(ck->proc.nmapfds, sizeof(*p->mapfds));
		for (int i = 0; i < ck->proc.nmapfds; i++) {
			p->mapfds[i].hash = ck->proc.mapfds[i].hash;
			p->mapfds[i].fd = dup(ck->proc.mapfds[i].fd);
		}
	}
	struct task *t = task_new(&self->t, p, pid, ck->task.rec_tid);
	struct task *tnext = t->next;
	*t = ck->task;
	t->tid = pid;
	t->proc = p;
	t->dom = NULL;
	t->owner = self;
	t->next = tnext;
	t->parked = false;
	t->wnext = t->outwait_next = NULL;
	memset(&t->in_bytes, 0, sizeof(t->in_bytes));
	buf_put(&t->in_bytes, ck->task.in_bytes.p, ck->task.in_bytes.len);
	struct domain *d = domain_new(&self->t, ck->dom_id);
	d->rd = rd;
	task_set_domain(t, d);
	d->s->holder = t;
	domain_park(d, t, ck->status);
	self->ndomains = 1;
	pin_task(pid, self->cpu);

	if (ck->was_root)
		r->root = pid;
	r->root_done = ck->root_done;
	r->root_status = ck->root_status;
	__atomic_store_n(&r->events, ck->events, __ATOMIC_RELAXED);
	__atomic_store_n(&r->stops, ck->stops, __ATOMIC_RELAXED);
	pthread_mutex_lock(&r->out_mu);
	r->outseq = ck->outseq;
	r->outwaiters = 0;
	pthread_mutex_unlock(&r->out_mu);
	pthread_mutex_lock(&r->ws.mu);
	r->ws.live = 1;
	r->ws.done = false;
	pthread_mutex_unlock(&r->ws.mu);

	/* (c->mu is held: requests are served under it) */
	c->stop = ck->stop;
	for (int i = 0; i < r->ws.n; i++) {
		c->restart[i] = c->frozen[i];
		c->kick[i] = NULL;
	}
	c->kick[self->id] = d;
	return 0;
}

int rp_ckpt_restore(struct replayer *r, const struct rp_ckpt *ck, bool *busy, char *err,
                    size_t errlen)
{
	*busy = false;
	long rc = rp_ctl_call(r, ck->worker, kill_fn, NULL);
	for (int round = 0; rc >= 0; round++) {
		long left = 0;
		for (int i = 0; i < r->ws.n && rc >= 0; i++) {
			rc = rp_ctl_call(r, i, reap_fn, NULL);
			if (rc == -EBUSY)
				rc = 0;             /* idle: no tracee there */
			left += rc;
		}
		if (rc < 0 || !left)
			break;
		if (round == 5000) {
			snprintf(err, errlen, "the replayed program did not die");
			return -1;
		}
		usleep(1000);
	}
	if (rc == -EBUSY) {
		*busy = true;
		snprintf(err, errlen, "the replay is not stopped (or is over)");
		return -1;
	}
	struct restore k = { .ck = ck, .err = err, .errlen = errlen };
	rc = rp_ctl_call(r, ck->worker, restore_fn, &k);
	if (rc == -EBUSY) {
		*busy = true;
		snprintf(err, errlen, "the replay is not stopped (or is over)");
	}
	return rc < 0 ? -1 : 0;
}

static long free_fn(struct replayer *r, void *arg)
{
	(void)r;
	pid_t pid = *(pid_t *)arg;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	return 0;
}

void rp_ckpt_free(struct replayer *r, struct rp_ckpt *ck)
{
	if (!ck)
		return;
	if (!r || rp_ctl_call(r, ck->worker, free_fn, &ck->pid) < 0) {
		/* running, or over: its tracer thread (or we, once that is
		 * gone) collects it */
		kill(ck->pid, SIGKILL);
		for (int i = 0; i < 1000; i++) {
			pid_t p = waitpid(ck->pid, NULL, __WALL | WNOHANG);
			if (p == ck->pid || (p < 0 && errno == ECHILD))
				break;
			usleep(1000);
		}
	}
	for (int i = 0; i < ck->proc.nmapfds; i++)
		close(ck->proc.mapfds[i].fd);
	free(ck->proc.mapfds);
	free(ck->task.in_bytes.p);
	free(ck);
}

void rp_ckpt_restarted(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	struct domain *d = c->kick[self->id];
	c->kick[self->id] = NULL;
	pthread_mutex_unlock(&c->mu);
	if (d)
		rp_go_on(r, d);
}
