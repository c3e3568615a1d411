/* replay_task.c -- tasks appearing on replay.
 *
 * fork/vfork/clone/clone3 run again, so the kernel creates a real task; the
 * trace's EV_TASK (right after the call's event) says which recorded task
 * it is and which domain it belongs to.  The parent gets the recorded
 * child id back, and where the kernel wrote the real id into memory
 * (CLONE_PARENT_SETTID, CLONE_CHILD_SETTID: glibc keeps it in the thread
 * descriptor) the recorded id is written over it. */
#include "replay/replay_int.h"

#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/page.h"
#include "core/ptrace.h"
#include "core/slot.h"

/* clone3's struct clone_args: flags, pidfd, child_tid, parent_tid, ... */
#define CLONE3_CHILD_TID  16
#define CLONE3_PARENT_TID 24

struct clone_info {
	uint64_t flags, ptid, ctid;
};

static struct clone_info clone_info(struct task *t, const struct ev_syscall *s)
{
	struct clone_info ci = {0};
	switch (s->nr) {
	case SYS_fork:
		ci.flags = SIGCHLD;
		break;
	case SYS_vfork:
		ci.flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	case SYS_clone:
		ci.flags = s->args[0];
		ci.ptid = s->args[2];
		ci.ctid = s->args[3];
		break;
	case SYS_clone3:
		task_read(t, s->args[0], &ci.flags, 8);
		task_read(t, s->args[0] + CLONE3_CHILD_TID, &ci.ctid, 8);
		task_read(t, s->args[0] + CLONE3_PARENT_TID, &ci.ptid, 8);
		break;
	}
	return ci;
}

/* New namespaces are what a sandbox (Chromium's) makes to confine its
 * children with the rights of a user who has none: replay runs as root,
 * answers every call from the trace, and its children need none of them
 * (nor could they have them: the uid maps a sandbox writes are file
 * writes, which replay does not make). */
#define CLONE_NS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | \
                  CLONE_NEWUTS | CLONE_NEWCGROUP)

void rp_fork_call(struct replayer *r, struct task *t)
{
	/* (A call that failed when recorded is answered like any other.) */
	t->entry = t->regs;
	t->rx = RX_FORK;
	if ((long)t->regs.orig_rax == SYS_clone && (t->regs.rdi & CLONE_NS)) {
		struct user_regs_struct regs = t->regs;
		regs.rdi &= ~(uint64_t)CLONE_NS;
		pt_setregs(t->tid, &regs);
	}
	pt_run_call(t->tid);
}

void rp_fork_event(struct replayer *r, struct task *parent)
{
	pid_t tid = (pid_t)pt_geteventmsg(parent->tid);
	const struct event *call = rp_peek(r, parent, 0);
	const struct event *te = rp_peek(r, parent, 1);
	if (!te || te->type != EV_TASK || te->task.parent != parent->rec_tid)
		rp_diverge(r, parent, "the program created a task, but the trace has no "
		           "EV_TASK after %s", call ? "the call" : "it");
	struct clone_info ci = clone_info(parent, &call->sys);
	struct process *p = parent->proc;
	if (!(ci.flags & CLONE_THREAD)) {
		p = proc_new(&self->t, tid, te->tid);
		p->execed = true;
		rp_golive_forked(r, te->tid, tid);
	}
	struct task *c = task_new(&self->t, p, tid, te->tid);
	workers_task_born(&r->ws);
	c->sb = slot_inherit(parent, ci.flags);
	if (ci.flags & CLONE_CHILD_SETTID)
		c->settid_addr = ci.ctid;
	if (ci.flags & CLONE_CHILD_CLEARTID)
		c->cleartid = ci.ctid;            /* (checkpoints) */
	if ((long)parent->entry.orig_rax == SYS_clone && (parent->entry.rdi & CLONE_NS))
		c->clone_rdi = parent->entry.rdi;
	if (te->task.domain == parent->dom->id) {
		task_set_domain(c, parent->dom);
		int status;
		if (early_take(&self->t, tid, &status)) {
			rp_first_stop(r, c);
			domain_park(c->dom, c, status);
		}
		pt_syscall(parent->tid, 0);
		return;
	}
	/* A domain of its own: open its stream, which starts with the task. */
	struct domain *d = rp_open_domain(r, te->task.domain);
	task_set_domain(c, d);
	const struct event *first = rp_peek(r, c, 0);
	if (!first || first->type != EV_TASK || first->tid != c->rec_tid)
		rp_diverge(r, c, "domain %u does not start with its task (corrupt trace)", d->id);
	rp_consume(r, c);
	d->s->holder = c;
	int status;
	if (!early_take(&self->t, tid, &status))
		status = pt_wait(tid);
	rp_first_stop(r, c);
	c->started = false;
	struct worker *dest = workers_pick(&r->ws, self, 0);
	if (dest != self) {
		/* Replay it on another CPU: move it there, stopped. */
		worker_move(&r->ws, dest, c, status);
	} else {
		domain_park(d, c, status);
		rp_advance(r, d);
	}
	pt_syscall(parent->tid, 0);
}

void rp_fork_exit(struct replayer *r, struct task *parent, struct user_regs_struct *regs)
{
	const struct event *call = rp_peek(r, parent, 0);
	const struct event *te = rp_peek(r, parent, 1);
	if ((int64_t)regs->rax < 0)
		rp_diverge(r, parent, "expected %s to create task %lld, it failed: %s",
		           "the call", (long long)call->sys.ret, strerror(-(int64_t)regs->rax));
	struct clone_info ci = clone_info(parent, &call->sys);
	uint32_t rec = te->tid;
	if ((ci.flags & CLONE_PARENT_SETTID) && ci.ptid)
		task_write(parent, ci.ptid, &rec, 4);
	regs->rax = call->sys.ret;
	regs->rdi = parent->entry.rdi;      /* as it passed them (rp_fork_call) */
	pt_setregs(parent->tid, regs);
	rp_consume(r, parent);   /* the call */
	rp_consume(r, parent);   /* its EV_TASK */
	rp_resume(r, parent);
}

void rp_first_stop(struct replayer *r, struct task *t)
{
	if (t->clone_rdi) {
		struct user_regs_struct regs;
		pt_getregs(t->tid, &regs);
		regs.rdi = t->clone_rdi;
		pt_setregs(t->tid, &regs);
		t->clone_rdi = 0;
	}
	if (t->settid_addr) {
		uint32_t rec = t->rec_tid;
		task_write(t, t->settid_addr, &rec, 4);
		t->settid_addr = 0;
	}
}
