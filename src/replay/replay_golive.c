/* replay_golive.c -- going live at a stop (issue 18): the replayed tasks
 * get the kernel state the trace says they had, and scribe lets them go.
 *
 * A session replays with no seccomp filter (PTRACE_SYSEMU, ptrace.c), so
 * once detached a task makes its calls to the kernel.  Before that, each
 * of them is given, by calls injected through the scribe page
 * (pt_call_at), what replay emulated: its regular files reopened by path
 * at their recorded offsets and flags, dups shared, its working directory;
 * rdtsc and cpuid no longer trap; its syscall buffer slots are turned off
 * (the preload library and the loader stub then call the kernel).  A task
 * stopped at a call's entry goes back over the syscall instruction: the
 * call it was about to make runs live.
 *
 * Everything is checked before anything changes (rp_golive_check): an fd
 * that cannot be rebuilt is named, and only goes live closed when asked
 * (force).  The work on each task runs on the tracer thread that traces it
 * (only that thread may ptrace it), served as a request while the replay
 * is frozen (replay_control.c). */
#include "replay/replay_int.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/page.h"
#include "core/ptrace.h"
#include "core/slot.h"
#include "preload/sbuf.h"
#include "preload/ldstub.h"
#include "syscalls/fdtab_int.h"

#ifndef PR_TSC_ENABLE
#define PR_TSC_ENABLE 1
#endif

/* Can go-live give the program this description again?  (A file that is
 * gone from today's file system cannot be reopened: checked here, before
 * anything changes.) */
static bool rebuildable(const struct fdt_desc *d)
{
	return (d->type == FDT_FILE || d->type == FDT_DIR) && d->path && d->path[0] == '/' &&
	       !d->deleted && access(d->path, F_OK) == 0;
}

/* Kept as the replay's own: the standard fds scribe's child inherited
 * (the terminal or the pipes scribe replay itself was given). */
static bool kept_as_is(int fd) { return fd <= 2; }

int rp_golive_check(struct replayer *r, char *msg, size_t len)
{
	int bad = 0;
	size_t at = 0;
	msg[0] = 0;
	pthread_mutex_lock(&r->fds.mu);
	for (int i = 0; i < r->ws.n; i++)
	for (struct task *t = r->ws.w[i].t.tasks; t; t = t->next) {
		if (t->dead || t->proc->live_checked)
			continue;
		t->proc->live_checked = true;
		const struct fdt_table *tb = fdtab_get(&r->fds, (int)t->rec_tid);
		for (size_t k = 0; tb && k < tb->n; k++) {
			const struct fdt_fd *f = &tb->fds[k];
			if (kept_as_is(f->fd) || rebuildable(f->desc))
				continue;
			char what[200];
			fdtab_describe(f->desc, what, sizeof(what));
			if ((f->desc->type == FDT_FILE || f->desc->type == FDT_DIR) && f->desc->path &&
			    f->desc->path[0] == '/' && !f->desc->deleted)
				snprintf(what, sizeof(what), "%s, which is gone", f->desc->path);
			if (at < len)
				at += snprintf(msg + at, len - at, "%sfd %d of process %u (%s %s)",
				               bad ? ", " : "", f->fd, t->proc->rec_pid,
				               fdtab_type_name(f->desc->type), what);
			bad++;
		}
	}
	for (int i = 0; i < r->ws.n; i++)
		for (struct task *t = r->ws.w[i].t.tasks; t; t = t->next)
			t->proc->live_checked = false;
	pthread_mutex_unlock(&r->fds.mu);
	return bad;
}

/* ---- children the recording reaped ------------------------------------ */

/* Replay answers wait4 from the trace, so a child that died during the
 * replay stays a zombie, even where the recording reaped it: live, the
 * parent's next wait would collect it a second time.  Go-live reaps
 * those first. */
void rp_golive_forked(struct replayer *r, uint32_t rec, pid_t real)
{
	pthread_mutex_lock(&r->out_mu);
	r->kids = xrealloc(r->kids, (r->nkids + 1) * sizeof(*r->kids));
	r->kids[r->nkids++] = (struct rp_kid){ rec, real, false };
	pthread_mutex_unlock(&r->out_mu);
}

void rp_golive_waited(struct replayer *r, const struct ev_syscall *s)
{
	if (s->nr != SYS_wait4 || s->ret <= 0)
		return;
	pthread_mutex_lock(&r->out_mu);
	for (size_t i = r->nkids; i-- > 0;)
		if (r->kids[i].rec == (uint32_t)s->ret && !r->kids[i].reaped) {
			r->kids[i].reaped = true;
			break;
		}
	pthread_mutex_unlock(&r->out_mu);
}

/* In the task's process: collect the zombies the recording reaped (a
 * child of another process answers ECHILD; one still alive is left). */
static void reap_reaped(struct replayer *r, struct task *t);

/* One call inside the stopped task, its registers put back after. */
static long call(struct task *t, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return pt_call_at(t->tid, &t->regs, SCRIBE_PAGE, nr, a0, a1, a2, a3, 0, 0);
}

/* A string put into the task's memory, well below its stack pointer
 * (below the red zone: what lies there is the program's to overwrite). */
static uint64_t put_string(struct task *t, const char *s)
{
	size_t n = strlen(s) + 1;
	uint64_t at = (t->regs.rsp - 16384 - n) & ~15ull;
	return task_write(t, at, s, n) < 0 ? 0 : at;
}

/* Open d's path in the task at fd (the lowest free fd, then moved). */
static long reopen(struct task *t, const struct fdt_fd *f)
{
	const struct fdt_desc *d = f->desc;
	uint64_t path = put_string(t, d->path);
	if (!path)
		return -EFAULT;
	int flags = (d->flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY)) |
	            (d->type == FDT_DIR ? O_DIRECTORY : 0) | O_CLOEXEC;
	long got = call(t, SYS_openat, (uint64_t)AT_FDCWD, path, (uint64_t)flags, 0);
	if (got < 0)
		return got;
	if (got != f->fd) {
		long moved = call(t, SYS_dup3, (uint64_t)got, (uint64_t)f->fd, O_CLOEXEC, 0);
		call(t, SYS_close, (uint64_t)got, 0, 0, 0);
		if (moved < 0)
			return moved;
	}
	if (d->offset_known && d->type == FDT_FILE)
		call(t, SYS_lseek, (uint64_t)f->fd, (uint64_t)d->offset, SEEK_SET, 0);
	else if (d->at_end)
		call(t, SYS_lseek, (uint64_t)f->fd, 0, SEEK_END, 0);
	return 0;
}

static long call(struct task *t, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

static void reap_reaped(struct replayer *r, struct task *t)
{
	pthread_mutex_lock(&r->out_mu);
	for (size_t i = 0; i < r->nkids; i++)
		if (r->kids[i].reaped) {
			/* A traced child's death goes to its tracer first: the
			 * parent can reap it only once we have (any thread of
			 * ours may: no __WNOTHREAD). */
			int st;
			waitpid(r->kids[i].real, &st, __WALL | WNOHANG);
			call(t, SYS_waitid, P_PID, (uint64_t)r->kids[i].real, 0,
			     WEXITED | WNOHANG | __WALL);
		}
	pthread_mutex_unlock(&r->out_mu);
}

/* The fd table, cwd of task t's process, rebuilt (once per process). */
static int rebuild_files(struct replayer *r, struct task *t, char *err, size_t len)
{
	/* Only the recorded fds from here: replay's own (the trace's copies
	 * of mapped files) go; the mappings stay. */
	call(t, SYS_close_range, 3, ~0u, 0, 0);
	pthread_mutex_lock(&r->fds.mu);
	const struct fdt_table *tb = fdtab_get(&r->fds, (int)t->rec_tid);
	struct fdt_task *ft = fdt_task_find(&r->fds, (int)t->rec_tid);
	int rc = 0;
	for (size_t k = 0; tb && k < tb->n && !rc; k++) {
		const struct fdt_fd *f = &tb->fds[k];
		if (kept_as_is(f->fd) || !rebuildable(f->desc))
			continue;         /* (not rebuildable: forced, it stays closed) */
		const struct fdt_fd *first = NULL;
		for (size_t j = 0; j < k && !first; j++)
			if (tb->fds[j].desc == f->desc && !kept_as_is(tb->fds[j].fd))
				first = &tb->fds[j];
		long got = first ? call(t, SYS_dup3, (uint64_t)first->fd, (uint64_t)f->fd,
		                        O_CLOEXEC, 0)
		                 : reopen(t, f);
		if (got < 0) {
			snprintf(err, len, "cannot reopen %s as fd %d of process %u: %s", f->desc->path,
			         f->fd, t->proc->rec_pid, strerror((int)-got));
			rc = -1;
			break;
		}
		if (!(f->fdflags & FD_CLOEXEC))
			call(t, SYS_fcntl, (uint64_t)f->fd, F_SETFD, 0, 0);
	}
	const char *cwd = ft && ft->cwd ? ft->cwd : r->fds.cwd;
	uint64_t at = !rc && cwd ? put_string(t, cwd) : 0;
	long got = at ? call(t, SYS_chdir, at, 0, 0, 0) : 0;
	pthread_mutex_unlock(&r->fds.mu);
	if (!rc && got < 0) {
		snprintf(err, len, "cannot go back to the working directory %s: %s", cwd,
		         strerror((int)-got));
		rc = -1;
	}
	return rc;
}

/* What only this thread has: its buffer slots off, rdtsc and cpuid. */
static void thread_state(struct task *t)
{
	if (t->sb && t->sb != SB_LD_SLOT)
		slot_set(t, SLOT_FIELD(mode), SB_OFF);
	/* the loader stub's slot, if this process has it mapped */
	uint32_t magic = 0;
	if (task_read(t, SB_LD_SLOT, &magic, sizeof(magic)) == sizeof(magic) && magic == SB_MAGIC) {
		uint32_t off = SB_OFF;
		task_write(t, SB_LD_SLOT + SLOT_FIELD(mode), &off, sizeof(off));
	}
	call(t, SYS_prctl, PR_SET_TSC, PR_TSC_ENABLE, 0, 0);
	if (cpu_cpuid_faults())
		call(t, SYS_arch_prctl, ARCH_SET_CPUID, 1, 0, 0);
}

/* Let the task go: at a call's entry, back over its syscall instruction
 * so that the call runs live; a pending signal stop keeps its signal. */
static void release(struct task *t)
{
	struct user_regs_struct regs = t->regs;
	int sig = 0;
	if (t->live_entry) {
		regs.rax = regs.orig_rax;
		regs.rip -= 2;
		regs.orig_rax = -1;
	} else if (t->parked && WIFSTOPPED(t->parked_status) && !(t->parked_status >> 16) &&
	           !(WSTOPSIG(t->parked_status) & 0x80) && WSTOPSIG(t->parked_status) != SIGTRAP) {
		sig = WSTOPSIG(t->parked_status);
	}
	pt_setregs(t->tid, &regs);
	ptrace(PTRACE_DETACH, t->tid, 0, (long)sig);
	t->live = true;
}

/* Is real pid `kid` alive (not a zombie) and a child of `parent`? */
static bool live_child_of(pid_t kid, pid_t parent)
{
	char buf[512];
	const char *st = proc_text(buf, sizeof(buf), "/proc/%d/stat", kid);
	const char *close = st ? strrchr(st, ')') : NULL;
	int ppid = 0;
	char state = 0;
	if (!close || sscanf(close + 1, " %c %d", &state, &ppid) != 2)
		return false;
	return state != 'Z' && state != 'X' && ppid == parent;
}

/* A child the recording reaped before this point may still be replaying
 * its last steps here: its parent waits (stays stopped, traced) until it
 * has gone live and ended, so that the parent reaps it before it runs on
 * and no live wait collects it a second time. */
static bool waits_for_kids(struct replayer *r, const struct process *p)
{
	bool any = false;
	pthread_mutex_lock(&r->out_mu);
	for (size_t i = 0; i < r->nkids && !any; i++)
		any = r->kids[i].reaped && live_child_of(r->kids[i].real, p->pid);
	pthread_mutex_unlock(&r->out_mu);
	return any;
}

bool rp_golive_pending(struct replayer *r)
{
	bool any = false;
	pthread_mutex_lock(&r->out_mu);
	for (size_t i = 0; i < r->nkids && !any; i++) {
		char buf[512];
		const char *st = r->kids[i].reaped ?
		                 proc_text(buf, sizeof(buf), "/proc/%d/stat", r->kids[i].real) : NULL;
		any = st && proc_state(st) != 'Z' && proc_state(st) != 'X';
	}
	pthread_mutex_unlock(&r->out_mu);
	return any;
}

/* Tasks handed to this thread and not taken yet wait detached, in
 * pause() on the scribe page: take them (as the loop's adopt does, but
 * parked where they are: the replay is frozen). */
static void take_inbox(struct replayer *r)
{
	struct handoff *h;
	while ((h = worker_take(&r->ws, self))) {
		struct task *t = h->task;
		tracees_link(&self->t, t);
		if (page_attach(t->tid, &h->regs))
			domain_park(t->dom, t, h->status);
		else
			t->dead = true;          /* killed on the way */
		free(h);
	}
}

/* A task stopped in the middle of a batch of buffered calls: the fd
 * model took the whole batch in when it was loaded (rp_sb_load), so let
 * the library answer the rest of it first, to the task's next syscall
 * stop (its next event, not taken: no boundary passes). */
static void finish_batch(struct task *t)
{
	struct sb_hdr h;
	if (!t->sb_loaded || !slot_header(t, &h) || h.used >= h.limit)
		return;
	/* (a second at most: a task spinning on what a frozen sibling would
	 * do is stopped where it is; the controller's SIGALRMs end waitpid) */
	uint64_t deadline = mono_ns() + 1000000000ull;
	pt_cont(t->tid, 0);
	for (int i = 0; i < 10000; i++) {
		int st;
		if (!pt_wait_until(t->tid, deadline, &st)) {
			ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
			st = pt_wait(t->tid);
			t->parked_status = st;
			return;
		}
		if (!WIFSTOPPED(st)) {
			t->dead = true;
			return;
		}
		t->parked_status = st;
		if (rp_page_call(t, st))
			continue;                /* (let go again inside) */
		if (((unsigned)st >> 16) != PTRACE_EVENT_STOP)
			return;                  /* a syscall entry, or a signal */
		pt_cont(t->tid, 0);
	}
}

int rp_golive_worker(struct replayer *r, bool last, char *err, size_t len)
{
	take_inbox(r);
	for (struct task *t = self->t.tasks; t; t = t->next)
		if (!t->dead && !t->live && !t->parked)
			finish_batch(t);
	for (struct task *t = self->t.tasks; t; t = t->next)
		t->proc->live_defer = !last && !t->dead && !t->live && waits_for_kids(r, t->proc);
	/* every task first at a known stop, its registers read, before any
	 * injected call moves it to another */
	for (struct task *t = self->t.tasks; t; t = t->next) {
		if (t->dead || t->live || t->proc->live_defer)
			continue;
		if (!pt_getregs(t->tid, &t->regs))
			continue;
		t->live_entry = pt_at_entry(t->tid);
	}
	for (struct task *t = self->t.tasks; t; t = t->next) {
		if (t->dead || t->live || t->proc->live_done || t->proc->live_defer)
			continue;
		t->proc->live_done = true;
		if (rebuild_files(r, t, err, len) < 0)
			return -1;
		reap_reaped(r, t);
	}
	for (struct task *t = self->t.tasks; t; t = t->next)
		if (!t->dead && !t->live && !t->proc->live_defer)
			thread_state(t);
	for (struct task *t = self->t.tasks; t; t = t->next)
		if (!t->dead && !t->live && !t->proc->live_defer)
			release(t);
	return 0;
}

/* ---- the controller's side ---------------------------------------------- */

/* Does any live process have another pid than when recorded? */
static bool pids_changed(struct replayer *r)
{
	for (int i = 0; i < r->ws.n; i++)
		for (struct task *t = r->ws.w[i].t.tasks; t; t = t->next)
			if (t->live && (uint32_t)t->tid != t->rec_tid)
				return true;
	return false;
}

static int go_phase(struct replayer *r, bool last, char *err, size_t len);

int rp_ctl_golive(struct replayer *r, bool force, pid_t *pid, char *err, size_t len)
{
	struct rp_ctl *c = r->ctl;
	struct rp_stop st;
	/* (a few seconds: a tracer thread woken from idle by a task handed
	 * to it freezes again soon after the stop) */
	if (!rp_ctl_wait(r, 5000, &st) || st.reason == RPS_ENDED || st.reason == RPS_DIVERGED ||
	    st.reason == RPS_ERROR || c->live) {
		snprintf(err, len, "the replay is not stopped where it can go live");
		return -EBUSY;
	}
	if (!r->opts->sysemu) {
		snprintf(err, len, "this replay runs under a seccomp filter: it cannot go live");
		return -EINVAL;
	}
	char bad[1024];
	int n = rp_golive_check(r, bad, sizeof(bad));
	if (n && !force) {
		snprintf(err, len, "cannot go live: %s cannot be rebuilt (--force: go live with "
		         "%s closed)", bad, n > 1 ? "them" : "it");
		return -ENOTSUP;
	}
	if (n)
		snprintf(err, len, "going live with %s closed", bad);
	/* Phase 1 lets go every process but those waiting for children the
	 * recording reaped; once those children have ended (live, 10 s at
	 * most), phase 2 lets go the rest. */
	int rc = go_phase(r, false, err, len);
	for (int i = 0; !rc && i < 10000 && rp_golive_pending(r); i++)
		usleep(1000);
	if (!rc)
		rc = go_phase(r, true, err, len);
	if (rc < 0)
		return rc;
	if (pids_changed(r)) {          /* said once, with what stays closed */
		size_t at = strlen(err);
		snprintf(err + at, len - at, "%sthe live processes do not have their recorded pids "
		         "(no pid namespace yet)", at ? "; " : "");
	}
	*pid = r->root;
	return n;
}

/* One request per tracer thread that has tasks, served frozen. */
static int go_phase(struct replayer *r, bool last, char *err, size_t len)
{
	struct rp_ctl *c = r->ctl;
	struct rp_req q[MAX_WORKERS];
	char msg[MAX_WORKERS][256];
	int nq = 0;
	pthread_mutex_lock(&c->mu);
	for (int i = 0; i < r->ws.n; i++) {
		pthread_mutex_lock(&r->ws.mu);
		bool work = r->ws.w[i].inbox != NULL;
		pthread_mutex_unlock(&r->ws.mu);
		for (struct task *t = r->ws.w[i].t.tasks; t && !work; t = t->next)
			work = !t->dead && !t->live;
		if (!work)              /* (an idle thread serves nothing) */
			continue;
		msg[nq][0] = 0;
		q[nq] = (struct rp_req){ .op = RQ_GOLIVE, .worker = i, .buf = msg[nq],
		                         .len = sizeof(msg[nq]), .addr = last };
		q[nq].next = c->reqs;
		c->reqs = &q[nq];
		nq++;
	}
	pthread_cond_broadcast(&c->cv);
	uint64_t deadline = mono_ns() + 10000000000ull;
	bool late = false;
	for (int i = 0; i < nq && !late; i++)
		while (!q[i].done && !(late = mono_ns() > deadline)) {
			/* every 20 ms, a SIGALRM ends a waitpid that waits too long
			 * (finish_batch) */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT)
				worker_wake(&r->ws.w[q[i].worker]);
		}
	for (int i = 0; i < nq; i++) {
		struct rp_req **pp = &c->reqs;
		while (*pp != &q[i])
			pp = &(*pp)->next;
		*pp = q[i].next;
	}
	bool ok = !late;
	if (late)        /* never a hang: fail, and closing kills the program */
		snprintf(err, len, "a tracer thread did not answer in 10 s: not going live");
	for (int i = 0; i < nq; i++)
		if (q[i].ret < 0 && ok) {
			snprintf(err, len, "%s", msg[i]);
			ok = false;
		}
	/* went live: closing lets the program be; failed half-way: closing
	 * kills it all, the tasks already let go too (still in the tables) */
	c->live = ok;
	pthread_mutex_unlock(&c->mu);
	return ok ? 0 : -EIO;
}
