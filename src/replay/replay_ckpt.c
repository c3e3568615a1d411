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
 * A process's other threads are recreated at restore by clones injected
 * into the new process.  What cannot be copied faithfully (writable
 * MAP_SHARED memory, a shared object's scratch copy, domain groups, a
 * thread's sigaltstack, a task stopped inside a call) is refused with a
 * message, never copied half (docs/design.md §16). */
#include "replay/replay_ckpt.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/page.h"
#include "core/ptrace.h"
#include "core/util.h"
#include "replay/replay_int.h"

/* How a task waits at the checkpoint's stop, and so what its thread
 * does with it once thawed. */
enum ck_how {
	CK_PARKED,                     /* parked (seccomp stop or first stop) */
	CK_OUTWAIT,                    /* at a write, waiting for its output's turn */
	CK_INTERRUPTED,                /* interrupted by a pause: resumed after */
	CK_RUNNING,                    /* running (its thread froze at another
	                                  task's boundary): interrupted now */
};

struct ck_task {
	struct task task;              /* copies; pointers rebuilt at restore */
	struct process proc;           /* (its mapfds ours, duplicated) */
	int worker;                    /* its tracer thread: the copy's too */
	uint32_t dom_id;
	pid_t copy;                    /* the frozen fork (never runs) */
	enum ck_how how;
	int status;                    /* its stop */
	struct user_regs_struct regs;  /* ... and registers there */
	uint64_t sigmask;              /* its mask (the copy blocks all) */
	bool holder, last;             /* of its domain */
	int waitq, outwait;            /* its place in those queues, or -1 */
	bool was_root;
	/* threads: one task of each process (its leader if alive) is
	 * forked; the others are recreated by injected clones */
	int lead;                      /* the index of its process's forked task */
	uint64_t robust[2];            /* its robust list (head, length) */
	uint8_t *xsave;                /* a recreated thread's XSAVE area */
	long xlen;
	bool copied;                   /* task and proc are deep copies */
	int pidfd;                     /* the copy's: a pid can be reused once
	                                  it died (killed with its tracer
	                                  thread, reaped by init): never signal
	                                  nor trace it by number alone */
};

struct ck_dom {
	uint32_t id;
	int worker;
	uint64_t pos;                  /* its stream's next event */
	bool go_on;                    /* its thread froze at its boundary */
};

struct rp_ckpt {
	struct rp_stop stop;           /* where it was taken */
	struct ck_task *tasks;
	int ntasks;
	struct ck_dom *doms;
	int ndoms;
	/* the replayer's */
	bool root_done;
	int root_status;
	uint64_t events, stops, outseq;
	int outwaiters;
};

/* What a restored thread does once thawed (replay_ctl.h). */
struct rp_kick {
	uint64_t gen;                  /* the restore that made it */
	struct domain *go_on;
	pid_t *cont;
	int ncont;
	struct rp_got *redo;           /* stops to handle as if just waited for */
	int nredo;
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

/* Make tid (in a ptrace stop, every signal blocked) run clone(flags,
 * ctid) injected at the scribe page's syscall instruction, `base` its
 * registers otherwise: a fork (CLONE_PARENT | SIGCHLD) or a thread.  tid
 * is left at the call's exit stop, the child at its first stop, traced by
 * this thread.  The child's tid, or -1. */
static pid_t inject_clone(pid_t tid, const struct user_regs_struct *base, uint64_t flags,
                          uint64_t ctid)
{
	struct user_regs_struct r = *base;
	if (at_entry(tid)) {
		/* leave the pending call first, not made (pt_call_at) */
		r.orig_rax = -1;
		if (!setregs(tid, &r) || !step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP))
			return -1;
	}
	int event = flags & CLONE_THREAD ? PTRACE_EVENT_CLONE : PTRACE_EVENT_FORK;
	r = *base;
	r.rip = SCRIBE_PAGE;
	r.rax = r.orig_rax = SYS_clone;
	r.rdi = flags;
	r.rsi = r.rdx = r.r8 = r.r9 = 0;
	r.r10 = ctid;
	if (!setregs(tid, &r) || !step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP) ||
	    !step_to(tid, PTRACE_SYSCALL, SIGTRAP | (event << 8)))
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

static pid_t inject_fork(pid_t tid, const struct user_regs_struct *base)
{
	return inject_clone(tid, base, CLONE_PARENT | SIGCHLD, 0);
}

/* Make tid (not at a call's entry) run call nr(a0, a1) the same way.
 * Its result, or -ESRCH if the task could not be made to. */
static long inject_call(pid_t tid, const struct user_regs_struct *base, long nr, uint64_t a0,
                        uint64_t a1)
{
	struct user_regs_struct r = *base;
	r.rip = SCRIBE_PAGE;
	r.rax = r.orig_rax = nr;
	r.rdi = a0;
	r.rsi = a1;
	if (!setregs(tid, &r) || !step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP) ||
	    !step_to(tid, PTRACE_SYSCALL, SYSCALL_STOP) || ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return -ESRCH;
	return (long)r.rax;
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

/* Send sig to a copy if it still lives (its pid is then still its own). */
static bool signal_copy(const struct ck_task *kt, int sig)
{
	return kt->pidfd >= 0 && syscall(SYS_pidfd_send_signal, kt->pidfd, sig, NULL, 0) == 0;
}

/* ---- what can be copied ----------------------------------------------- */

struct take {
	struct rp_ckpt *ck;
	char *err;
	size_t errlen;
};

static long refuse(struct take *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long refuse(struct take *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->err, k->errlen, fmt, ap);
	va_end(ap);
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

static int place_in(struct task *list, struct task *t, bool outwait)
{
	int i = 0;
	for (struct task *k = list; k; k = outwait ? k->outwait_next : k->wnext, i++)
		if (k == t)
			return i;
	return -1;
}

/* Will worker w, once thawed, let the holder of d go?  (Frozen at d's
 * boundary; or a restore made before this checkpoint, its thread not
 * thawed since, told it to.) */
static bool goes_on(struct rp_ctl *c, int w, struct domain *d)
{
	return c->kick[w] ? c->kick[w]->go_on == d : c->at_boundary[w] == d;
}

/* Will it resume tid, interrupted by the pause? */
static bool resumes(struct rp_ctl *c, int w, pid_t tid, int *status)
{
	if (c->kick[w]) {
		for (int i = 0; i < c->kick[w]->ncont; i++)
			if (c->kick[w]->cont[i] == tid) {
				*status = (PTRACE_EVENT_STOP << 16) | (SIGTRAP << 8) | 0x7f;
				return true;
			}
		return false;
	}
	for (int i = 0; i < c->ngot[w]; i++)
		if (c->got[w][i].tid == tid && WIFSTOPPED(c->got[w][i].status) &&
		    ((unsigned)c->got[w][i].status >> 16) == PTRACE_EVENT_STOP) {
			*status = c->got[w][i].status;
			return true;
		}
	return false;
}

/* How task t of worker w waits, or -1 if it does not in a way a copy can
 * reproduce (it runs, or is in the middle of something). */
static int how_waits(struct replayer *r, int w, struct task *t, int *status)
{
	struct rp_ctl *c = r->ctl;
	if (t->parked) {
		*status = t->parked_status;
		return CK_PARKED;
	}
	if (place_in(r->outwait[w], t, true) >= 0) {
		*status = SECCOMP_STOP << 8 | 0x7f;
		return CK_OUTWAIT;
	}
	if (resumes(c, w, t->tid, status))
		return CK_INTERRUPTED;
	return -1;
}

/* On any frozen thread (every table is still): check the whole replay
 * and list what to copy. */
static long take_check(struct replayer *r, void *arg)
{
	struct take *k = arg;
	struct rp_ckpt *ck = k->ck;
	struct rp_ctl *c = r->ctl;
	int nt = 0, nd = 0;
	for (int i = 0; i < r->ws.n; i++) {
		struct tracees *tt = &r->ws.w[i].t;
		if (tt->nearly || r->ws.w[i].inbox)
			return refuse(k, "a task is on its way between tracer threads");
		nt += tt->ntasks;
		for (struct domain *d = tt->doms; d; d = d->next)
			nd++;
	}
	if (!nt)
		return refuse(k, "no task is left");
	for (uint32_t i = 0; i < r->nobjs; i++)
		if (r->objmade[i])
			return refuse(k, "checkpoints of a program that maps a shared object are "
			              "not supported yet");
	ck->tasks = xcalloc(nt, sizeof(*ck->tasks));
	ck->doms = xcalloc(nd ? nd : 1, sizeof(*ck->doms));
	for (int i = 0; i < r->ws.n; i++) {
		struct tracees *tt = &r->ws.w[i].t;
		for (struct domain *d = tt->doms; d; d = d->next) {
			if (!d->ntasks) {
				if (!dom_over(d))
					return refuse(k, "domain %u waits for its first task", d->id);
				continue;        /* over: nothing to copy */
			}
			if (d->grouped || d->s != &d->own)
				return refuse(k, "checkpoints of memory shared between processes (a "
				              "domain group) are not supported yet");
			struct ck_dom *cd = &ck->doms[ck->ndoms++];
			cd->id = d->id;
			cd->worker = i;
			cd->pos = d->nev ? d->idx[0] : trc_reader_position(d->rd);
			cd->go_on = goes_on(c, i, d);
		}
		for (struct task *t = tt->tasks; t; t = t->next) {
			struct ck_task *kt = &ck->tasks[ck->ntasks++];
			kt->worker = i;
			kt->pidfd = -1;
			kt->dom_id = t->dom->id;
			kt->task = *t;           /* for its tid until take_fn */
			if (t->proc->ntasks > 1 && t->proc->altstack)
				return refuse(k, "checkpoints of a multi-threaded process with a "
				              "sigaltstack (%u) are not supported yet", t->proc->rec_pid);
			if (t->dead)
				return refuse(k, "task %u is dead, its exit not yet replayed", t->rec_tid);
			int how = how_waits(r, i, t, &kt->status);
			if (how < 0 && !t->rx && !t->injecting && !t->parked &&
			    (c->at_boundary[i] || c->kick[i])) {
				how = CK_RUNNING;        /* take_fn stops it */
				kt->status = (PTRACE_EVENT_STOP << 16) | (SIGTRAP << 8) | 0x7f;
			}
			if (how < 0 || t->rx || t->injecting)
				return refuse(k, "task %u is running (a pause stopped the replay in the "
				              "middle of its work); stop at an event instead", t->rec_tid);
			unsigned e = (unsigned)kt->status >> 16;
			if (((unsigned)kt->status >> 8) != SECCOMP_STOP && e != PTRACE_EVENT_STOP)
				return refuse(k, "task %u is at a stop a copy cannot reproduce (0x%x); "
				              "stop at a syscall event instead", t->rec_tid, kt->status);
			kt->how = how;
			kt->holder = t->dom->s->holder == t;
			kt->last = t->dom->s->last == t;
			kt->waitq = t->parked ? place_in(t->dom->s->waitq, t, false) : -1;
			kt->outwait = place_in(r->outwait[i], t, true);
			kt->was_root = t->proc->pid == r->root;
		}
	}
	/* each process's forked task: its leader if alive, else its first */
	for (int i = 0; i < ck->ntasks; i++) {
		struct ck_task *kt = &ck->tasks[i];
		kt->lead = i;
		for (int j = 0; j < ck->ntasks; j++) {
			struct ck_task *kj = &ck->tasks[j];
			if (kj->task.proc != kt->task.proc)
				continue;
			if (kj->task.tid == kj->task.proc->pid) {
				kt->lead = j;
				break;
			}
			if (j < kt->lead)
				kt->lead = j;
		}
	}
	ck->stop = c->stop;
	ck->root_done = r->root_done;
	ck->root_status = r->root_status;
	ck->events = __atomic_load_n(&r->events, __ATOMIC_RELAXED);
	ck->stops = __atomic_load_n(&r->stops, __ATOMIC_RELAXED);
	pthread_mutex_lock(&r->out_mu);
	ck->outseq = r->outseq;
	ck->outwaiters = r->outwaiters;
	pthread_mutex_unlock(&r->out_mu);
	return 0;
}

static bool at_seccomp(const struct ck_task *kt)
{
	return ((unsigned)kt->status >> 8) == SECCOMP_STOP;
}

/* Put a task forked from at its stop again: the seccomp stop of its call,
 * or (an event stop) just its registers: its thread resumes it from the
 * syscall-exit stop the injected call left it at, as it would have from
 * the event stop, orig_rax -1 (checked) meaning no restart. */
static bool put_back(pid_t tid, const struct ck_task *kt)
{
	return at_seccomp(kt) ? to_seccomp_stop(tid, &kt->regs) : setregs(tid, &kt->regs);
}

/* This thread's kick: what it does once thawed, through restart(), made
 * the first time from what freeze's caller would have done (its thread
 * froze at a boundary: let that holder go). */
static struct rp_kick *own_kick(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	struct rp_kick *kick = c->kick[self->id];
	if (!kick) {
		kick = c->kick[self->id] = xcalloc(1, sizeof(*kick));
		kick->gen = c->restores;
		kick->go_on = c->at_boundary[self->id];
		c->restart[self->id] = true;
	}
	kick->cont = xrealloc(kick->cont, (kick->ncont + 1) * sizeof(*kick->cont));
	kick->redo = xrealloc(kick->redo, (kick->nredo + 1) * sizeof(*kick->redo));
	return kick;
}

/* Stop a task that runs while its thread is frozen at another task's
 * boundary (PTRACE_INTERRUPT, as rp_ctl_loop_top does); once thawed, the
 * thread resumes it, or handles the stop that came first.  0 if it is at
 * its interrupt stop now, -1 if it stopped for a reason of its own. */
static int stop_running(struct replayer *r, struct task *t, struct ck_task *kt)
{
	int st;
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0 || wait_stop(t->tid, &st) < 0)
		return -1;
	struct rp_kick *kick = own_kick(r);
	if (((unsigned)st >> 16) == PTRACE_EVENT_STOP) {
		kick->cont[kick->ncont++] = t->tid;
		kt->how = CK_INTERRUPTED;
		kt->status = st;
		return 0;
	}
	kick->redo[kick->nredo].tid = t->tid;
	kick->redo[kick->nredo++].status = st;
	return -1;
}

/* On each thread with tasks: fork them, copy their records. */
static long take_fn(struct replayer *r, void *arg)
{
	struct take *k = arg;
	struct rp_ckpt *ck = k->ck;
	(void)r;
	for (int i = 0; i < ck->ntasks; i++) {
		struct ck_task *kt = &ck->tasks[i];
		if (kt->worker != self->id)
			continue;
		struct task *t = task_find(&self->t, kt->task.tid);
		if (!t)
			return refuse(k, "task %u is gone", kt->task.rec_tid);
		pid_t tid = t->tid;
		if (kt->how == CK_RUNNING && stop_running(r, t, kt) < 0)
			return refuse(k, "task %u was running: it stopped at an event of its own "
			              "meanwhile; take the checkpoint again", t->rec_tid);
		if (shared_writable(t->proc->pid))
			return refuse(k, "checkpoints of a process with writable MAP_SHARED memory "
			              "(%u) are not supported yet", t->proc->rec_pid);
		uint64_t all = ~0ull;
		size_t rlen = 0;
		if (ptrace(PTRACE_GETREGS, tid, 0, &kt->regs) < 0 ||
		    ptrace(PTRACE_GETSIGMASK, tid, sizeof(kt->sigmask), &kt->sigmask) < 0 ||
		    syscall(SYS_get_robust_list, tid, &kt->robust[0], &rlen) < 0)
			return refuse(k, "task %u is gone", t->rec_tid);
		kt->robust[1] = rlen;
		if (!at_seccomp(kt) && (int64_t)kt->regs.orig_rax != -1)
			return refuse(k, "task %u was stopped inside a system call; stop at an "
			              "event instead", t->rec_tid);
		if (kt->lead != i) {
			/* recreated at restore: its FPU/SSE/AVX state kept here */
			uint8_t buf[16384];
			kt->xlen = pt_getxstate(tid, buf, sizeof(buf));
			if (kt->xlen <= 0)
				return refuse(k, "task %u: no XSAVE area", t->rec_tid);
			kt->xsave = xmalloc(kt->xlen);
			memcpy(kt->xsave, buf, kt->xlen);
			kt->copy = -1;           /* its records are copied below */
		}
		pid_t copy = kt->lead != i ? -1 : 0;
		if (kt->lead == i && ptrace(PTRACE_SETSIGMASK, tid, sizeof(all), &all) < 0)
			return refuse(k, "task %u is gone", t->rec_tid);
		if (kt->lead == i)
			copy = inject_fork(tid, &kt->regs);
		bool back = kt->lead != i || put_back(tid, kt);
		ptrace(PTRACE_SETSIGMASK, tid, sizeof(kt->sigmask), &kt->sigmask);
		if ((kt->lead == i && copy < 0) || !back) {
			if (copy > 0) {
				kill(copy, SIGKILL);
				waitpid(copy, NULL, __WALL);
			}
			return refuse(k, "cannot fork task %u for a checkpoint", t->rec_tid);
		}
		kt->pidfd = copy > 0 ? (int)syscall(SYS_pidfd_open, copy, 0) : -1;
		if (copy > 0 && kt->pidfd < 0) {
			kill(copy, SIGKILL);     /* just made: still ours */
			waitpid(copy, NULL, __WALL);
			return refuse(k, "pidfd_open: %s", strerror(errno));
		}
		kt->copy = copy;            /* -1: a thread recreated from its lead */
		kt->copied = true;
		kt->task = *t;
		memset(&kt->task.in_bytes, 0, sizeof(kt->task.in_bytes));
		buf_put(&kt->task.in_bytes, t->in_bytes.p, t->in_bytes.len);
		kt->proc = *t->proc;
		kt->proc.mapfds = NULL;
		kt->proc.nmapfds = 0;
		if (t->proc->nmapfds) {
			/* its descriptors on the trace's files: ours, kept open */
			kt->proc.mapfds = xcalloc(t->proc->nmapfds, sizeof(*kt->proc.mapfds));
			for (int j = 0; j < t->proc->nmapfds; j++) {
				kt->proc.mapfds[j].hash = t->proc->mapfds[j].hash;
				kt->proc.mapfds[j].fd = dup(t->proc->mapfds[j].fd);
			}
			kt->proc.nmapfds = t->proc->nmapfds;
		}
	}
	return 0;
}


void rp_ckpt_free(struct replayer *r, struct rp_ckpt *ck);

struct rp_ckpt *rp_ckpt_take(struct replayer *r, bool *busy, char *err, size_t errlen)
{
	struct rp_ckpt *ck = xcalloc(1, sizeof(*ck));
	struct take k = { .ck = ck, .err = err, .errlen = errlen };
	*busy = false;
	long rc = rp_ctl_call(r, -1, take_check, &k);
	for (int w = 0; rc >= 0 && w < r->ws.n; w++) {
		bool mine = false;
		for (int i = 0; i < ck->ntasks; i++)
			mine |= ck->tasks[i].worker == w;
		if (mine)
			rc = rp_ctl_call(r, w, take_fn, &k);
	}
	if (rc < 0) {
		if (rc == -EBUSY) {
			*busy = true;
			snprintf(err, errlen, "the replay is not stopped (or is over)");
		}
		rp_ckpt_free(r, ck);
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

/* On any frozen thread: SIGKILL every task of the program. */
static long kill_fn(struct replayer *r, void *arg)
{
	(void)arg;
	for (int i = 0; i < r->ws.n; i++) {
		struct tracees *tt = &r->ws.w[i].t;
		for (struct task *t = tt->tasks; t; t = t->next)
			if (!t->dead)
				kill(t->tid, SIGKILL);
		for (int e = 0; e < tt->nearly; e++)
			kill(tt->early[e].tid, SIGKILL);
	}
	return 0;
}

/* On each thread: move its tables, the killed program's, aside (to
 * `grave`), for bury_fn to collect once the new ones are built: the
 * kernel tears the old processes down meanwhile, on another CPU, instead
 * of the restore waiting for it (~8 ms for 100 MiB). */
static long detach_fn(struct replayer *r, void *arg)
{
	struct tracees *grave = arg;
	grave[self->id] = self->t;
	memset(&self->t, 0, sizeof(self->t));
	self->t.ndomains = grave[self->id].ndomains;
	self->ndomains = 0;
	r->outwait[self->id] = NULL;
	return 0;
}

/* On each thread: reap its killed tasks (threads before their leader,
 * which reports nothing until they are gone); once none is left, free
 * the old tables.  How many are left. */
static long bury_fn(struct replayer *r, void *arg)
{
	(void)r;
	struct tracees *tt = &((struct tracees *)arg)[self->id];
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
	free(tt->early);
	struct domain *dn;
	for (struct domain *d = tt->doms; d; d = dn) {
		dn = d->next;
		free_domain(d);
	}
	memset(tt, 0, sizeof(*tt));
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
	uint64_t gen;
	char *err;
	size_t errlen;
};

/* The records of a task recreated as tid in process p, from kt's. */
static struct task *new_task(const struct ck_task *kt, struct process *p, pid_t tid)
{
	struct task *t = task_new(&self->t, p, tid, kt->task.rec_tid);
	struct task *tnext = t->next;
	*t = kt->task;
	t->tid = tid;
	t->proc = p;
	t->dom = NULL;
	t->owner = self;
	t->next = tnext;
	t->parked = false;
	t->wnext = t->outwait_next = NULL;
	memset(&t->in_bytes, 0, sizeof(t->in_bytes));
	buf_put(&t->in_bytes, kt->task.in_bytes.p, kt->task.in_bytes.len);
	pin_task(tid, self->cpu);
	return t;
}

static struct process *new_process(const struct ck_task *kt, pid_t pid)
{
	struct process *p = proc_new(&self->t, pid, kt->proc.rec_pid);
	int memfd = p->memfd;
	struct process *pnext = p->next;
	*p = kt->proc;
	p->pid = pid;
	p->memfd = memfd;
	p->next = pnext;
	p->ntasks = 0;
	p->mapfds = NULL;
	if (kt->proc.nmapfds) {
		p->mapfds = xcalloc(kt->proc.nmapfds, sizeof(*p->mapfds));
		for (int i = 0; i < kt->proc.nmapfds; i++) {
			p->mapfds[i].hash = kt->proc.mapfds[i].hash;
			p->mapfds[i].fd = dup(kt->proc.mapfds[i].fd);
		}
	}
	return p;
}

/* The per-thread kernel state a clone or fork does not carry over: the
 * robust list, clear_child_tid (a fork's child has none; a thread gets
 * it from its clone). */
static bool thread_state(pid_t tid, const struct ck_task *kt, bool cleartid)
{
	if (kt->robust[0] &&
	    inject_call(tid, &kt->regs, SYS_set_robust_list, kt->robust[0], kt->robust[1]) != 0)
		return false;
	/* (set_tid_address returns the caller's tid) */
	return !cleartid || !kt->task.cleartid ||
	       inject_call(tid, &kt->regs, SYS_set_tid_address, kt->task.cleartid, 0) > 0;
}

/* Recreate ck task `lead`'s process: fork its copy, clone its other
 * threads into the new process, each with its registers, XSAVE area,
 * mask and per-thread state, every one at its stop.  Fills made[]. */
static bool rebuild_process(const struct rp_ckpt *ck, int lead, struct task **made)
{
	const struct ck_task *kl = &ck->tasks[lead];
	if (!signal_copy(kl, 0))
		return false;          /* killed from outside: its pid is not its own */
	pid_t pid = inject_fork(kl->copy, &kl->regs);
	if (pid < 0)
		return false;
	struct process *p = new_process(kl, pid);
	made[lead] = new_task(kl, p, pid);
	uint64_t flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	                 CLONE_SYSVSEM;
	for (int i = 0; i < ck->ntasks; i++) {
		const struct ck_task *kt = &ck->tasks[i];
		if (kt->lead != lead || i == lead)
			continue;
		uint64_t f = flags | (kt->task.cleartid ? CLONE_CHILD_CLEARTID : 0);
		pid_t tid = inject_clone(pid, &kl->regs, f, kt->task.cleartid);
		if (tid < 0)
			return false;
		made[i] = new_task(kt, p, tid);
		struct iovec iov = { kt->xsave, (size_t)kt->xlen };
		if (ptrace(PTRACE_SETREGSET, tid, NT_X86_XSTATE, &iov) < 0 ||
		    !thread_state(tid, kt, false) || !put_back(tid, kt) ||
		    ptrace(PTRACE_SETSIGMASK, tid, sizeof(kt->sigmask), &kt->sigmask) < 0)
			return false;
	}
	return thread_state(pid, kl, true) && put_back(pid, kl) &&
	       ptrace(PTRACE_SETSIGMASK, pid, sizeof(kl->sigmask), &kl->sigmask) == 0;
}

static void free_kick(struct rp_kick *kick)
{
	if (kick) {
		free(kick->cont);
		free(kick->redo);
	}
	free(kick);
}

/* On each thread of the checkpoint (its tables empty now): fork its
 * copies again, rebuild their records, domains and queues. */
static long restore_fn(struct replayer *r, void *arg)
{
	struct restore *k = arg;
	const struct rp_ckpt *ck = k->ck;
	struct task **made = xcalloc(ck->ntasks + 1, sizeof(*made));
	struct rp_kick *kick = xcalloc(1, sizeof(*kick));
	kick->gen = k->gen;
	kick->cont = xcalloc(ck->ntasks + 1, sizeof(*kick->cont));
	long rc = 0;
	for (int i = 0; i < ck->ndoms && !rc; i++) {
		const struct ck_dom *cd = &ck->doms[i];
		if (cd->worker != self->id)
			continue;
		struct domain *d = domain_new(&self->t, cd->id);
		d->rd = reader_at(r, cd->id, cd->pos);
		self->ndomains++;
		if (!d->rd)
			rc = -EIO;
		else if (cd->go_on)
			kick->go_on = d;
	}
	for (int i = 0; i < ck->ntasks && !rc; i++)
		if (ck->tasks[i].worker == self->id && ck->tasks[i].lead == i &&
		    !rebuild_process(ck, i, made))
			rc = -EIO;    /* what was made dies with the next restore or close */
	for (int i = 0; i < ck->ntasks && !rc; i++) {
		const struct ck_task *kt = &ck->tasks[i];
		if (kt->worker != self->id)
			continue;
		struct task *t = made[i];
		struct domain *d = domain_find(&self->t, kt->dom_id);
		task_set_domain(t, d);
		if (kt->holder)
			d->s->holder = t;
		if (kt->last)
			d->s->last = t;
		if (kt->was_root)
			r->root = t->tid;
		if (kt->how == CK_INTERRUPTED)
			kick->cont[kick->ncont++] = t->tid;
	}
	/* the queues, in their order */
	for (int pos = 0; pos < ck->ntasks && !rc; pos++)
		for (int i = 0; i < ck->ntasks; i++) {
			const struct ck_task *kt = &ck->tasks[i];
			if (kt->worker != self->id)
				continue;
			if (kt->waitq == pos)
				domain_park(made[i]->dom, made[i], kt->status);
			if (kt->outwait == pos) {
				struct task **pp = &r->outwait[self->id];
				while (*pp)
					pp = &(*pp)->outwait_next;
				*pp = made[i];
			}
		}
	free(made);
	if (rc) {
		snprintf(k->err, k->errlen, "cannot fork the checkpoint's processes again");
		free(kick->cont);
		free(kick);
		return rc;
	}
	free_kick(r->ctl->kick[self->id]);   /* an earlier restore's */
	r->ctl->kick[self->id] = kick;
	return 0;
}

/* Last, on any frozen thread: the replayer's state, and every frozen
 * thread sent back to its loop. */
static long finish_fn(struct replayer *r, void *arg)
{
	struct restore *k = arg;
	const struct rp_ckpt *ck = k->ck;
	struct rp_ctl *c = r->ctl;
	r->root_done = ck->root_done;
	r->root_status = ck->root_status;
	__atomic_store_n(&r->events, ck->events, __ATOMIC_RELAXED);
	__atomic_store_n(&r->stops, ck->stops, __ATOMIC_RELAXED);
	pthread_mutex_lock(&r->out_mu);
	r->outseq = ck->outseq;
	r->outwaiters = ck->outwaiters;
	pthread_mutex_unlock(&r->out_mu);
	pthread_mutex_lock(&r->ws.mu);
	r->ws.live = ck->ntasks;
	r->ws.done = false;
	pthread_mutex_unlock(&r->ws.mu);
	/* (c->mu is held: requests are served under it) */
	c->stop = ck->stop;
	for (int i = 0; i < r->ws.n; i++) {
		c->restart[i] = c->frozen[i];
		if (c->kick[i] && c->kick[i]->gen != k->gen) {
			free_kick(c->kick[i]);     /* an earlier restore's, for tasks gone */
			c->kick[i] = NULL;
		}
	}
	return 0;
}

int rp_ckpt_restore(struct replayer *r, const struct rp_ckpt *ck, bool *busy, char *err,
                    size_t errlen)
{
	*busy = false;
	struct tracees grave[MAX_WORKERS];
	memset(grave, 0, sizeof(grave));
	long rc = rp_ctl_call(r, -1, kill_fn, NULL);
	for (int i = 0; i < r->ws.n && rc >= 0; i++)
		rc = rp_ctl_call(r, i, detach_fn, grave);
	struct restore k = { .ck = ck, .gen = ++r->ctl->restores, .err = err, .errlen = errlen };
	for (int w = 0; rc >= 0 && w < r->ws.n; w++) {
		bool mine = false;
		for (int i = 0; i < ck->ndoms; i++)
			mine |= ck->doms[i].worker == w;
		if (mine)
			rc = rp_ctl_call(r, w, restore_fn, &k);
	}
	if (rc >= 0)
		rc = rp_ctl_call(r, -1, finish_fn, &k);
	/* the killed program: collected now (every thread is still frozen) */
	for (int round = 0; ; round++) {
		long left = 0, got = 0;
		for (int i = 0; i < r->ws.n && got >= 0; i++)
			if (grave[i].tasks || grave[i].doms || grave[i].nearly)
				left += got = rp_ctl_call(r, i, bury_fn, grave);
		if (got < 0 || !left)
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
	}
	if (rc >= 0)
		r->fds_stale = true;    /* the fd tables are not in a checkpoint */
	return rc < 0 ? -1 : 0;
}

static long free_fn(struct replayer *r, void *arg)
{
	(void)r;
	const struct ck_task *kt = arg;
	if (signal_copy(kt, SIGKILL))      /* alive: its pid is held until reaped */
		while (waitpid(kt->copy, NULL, __WALL) < 0 && errno == EINTR)
			;
	return 0;
}

/* Kill a frozen copy and collect it: on its tracer thread if the replay
 * is stopped; else that thread collects it (or we, once it is gone). */
static void kill_copy(const struct ck_task *kt)
{
	if (!signal_copy(kt, SIGKILL))
		return;
	for (int i = 0; i < 1000; i++) {
		pid_t p = waitpid(kt->copy, NULL, __WALL | WNOHANG);
		if (p == kt->copy || (p < 0 && errno == ECHILD))
			break;
		usleep(1000);
	}
}

void rp_ckpt_free(struct replayer *r, struct rp_ckpt *ck)
{
	if (!ck)
		return;
	for (int i = 0; i < ck->ntasks; i++) {
		struct ck_task *kt = &ck->tasks[i];
		if (kt->copy > 0 && (!r || rp_ctl_call(r, kt->worker, free_fn, kt) < 0))
			kill_copy(kt);
		if (kt->pidfd >= 0)
			close(kt->pidfd);
		for (int j = 0; j < kt->proc.nmapfds; j++)
			close(kt->proc.mapfds[j].fd);
		if (kt->copied) {
			free(kt->proc.mapfds);
			free(kt->task.in_bytes.p);
		}
		free(kt->xsave);
	}
	free(ck->tasks);
	free(ck->doms);
	free(ck);
}

void rp_ckpt_restarted(struct replayer *r)
{
	struct rp_ctl *c = r->ctl;
	pthread_mutex_lock(&c->mu);
	struct rp_kick *kick = c->kick[self->id];
	c->kick[self->id] = NULL;
	pthread_mutex_unlock(&c->mu);
	if (!kick)
		return;
	for (int i = 0; i < kick->ncont; i++)
		ptrace(PTRACE_CONT, kick->cont[i], 0, 0);
	for (int i = 0; i < kick->nredo; i++)
		rp_on_wait(r, kick->redo[i].tid, kick->redo[i].status);
	if (kick->go_on)
		rp_go_on(r, kick->go_on);
	free_kick(kick);
}

void rp_ckpt_close(struct replayer *r)
{
	for (int i = 0; i < MAX_WORKERS; i++) {
		free_kick(r->ctl->kick[i]);
		r->ctl->kick[i] = NULL;
	}
}

void rp_ckpt_note_call(struct task *t)
{
	long nr = (long)t->regs.orig_rax;
	if (nr == SYS_set_tid_address)
		t->cleartid = t->regs.rdi;
	else if (nr == SYS_sigaltstack && t->regs.rdi)
		t->proc->altstack = true;
}
