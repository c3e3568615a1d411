/* record_task.c -- tasks appearing: fork, vfork, clone, clone3.
 *
 * The parent reports PTRACE_EVENT_{FORK,VFORK,CLONE} in the middle of its
 * call; the child is already attached and may even have reported its first
 * stop.  The child joins its parent's memory domain when it shares memory
 * with it for good (threads, CLONE_VM, or a fork of a process that has
 * writable shared mappings); otherwise it starts a domain of its own, with
 * its own event stream, that records and replays independently -- and,
 * when another CPU's tracer thread has less to do, on that CPU.  A vfork
 * child gets its own domain too: its parent is frozen in the kernel until
 * the child execs or exits, so they never run at the same time. */
#include "record/record_int.h"

#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "core/page.h"
#include "core/ptrace.h"
#include "core/slot.h"

/* The clone flags of the call in flight. */
static uint64_t clone_flags(struct task *t, int event)
{
	const struct ev_syscall *s = &t->ev.sys;
	switch (s->nr) {
	case SYS_fork: return SIGCHLD;
	case SYS_vfork: return CLONE_VM | CLONE_VFORK | SIGCHLD;
	case SYS_clone: return s->args[0];
	case SYS_clone3: {
		uint64_t flags = 0;
		task_read(t, s->args[0], &flags, 8);
		return flags;
	}
	}
	/* Unknown caller: infer from the event. */
	return event == PTRACE_EVENT_CLONE ? CLONE_VM | CLONE_THREAD :
	       event == PTRACE_EVENT_VFORK ? CLONE_VM | CLONE_VFORK : 0;
}

/* The child's first stop, wherever it is: the loop may have seen it. */
static int first_stop(pid_t tid)
{
	int status;
	if (early_take(&self->t, tid, &status))
		return status;
	return pt_wait(tid);
}

/* Does a fork of p share writable memory with p?  Only a shared mapping
 * makes it so, and the recorder sees every call that can make one
 * (finish_call): without one, /proc/PID/maps (100 us for a shell) need
 * not be read.  An address space shared with another process may have
 * got one from there: then every fork looks. */
static bool may_share(struct recorder *r, const struct process *p)
{
	if (!p->has_shared && !__atomic_load_n(&r->shared_in_vm, __ATOMIC_RELAXED))
		return false;
	return proc_has_shared_writable(p->pid);
}

void rec_new_task(struct recorder *r, struct task *parent, int event)
{
	pid_t tid = (pid_t)pt_geteventmsg(parent->tid);
	if (tid <= 0) {
		/* SIGKILLed at this very stop (kill-mix: one recording in 50
		 * or so then waited forever for a task of tid 0).  Its death
		 * is reported next; the child, if it stops, is killed as an
		 * orphan (record.c, kill_orphan). */
		return;
	}
	uint64_t flags = clone_flags(parent, event);
	struct process *p = parent->proc;
	if (!(flags & CLONE_THREAD)) {
		p = proc_new(&self->t, tid, tid);
		p->execed = true;
		p->has_shared = parent->proc->has_shared;
		p->own_filter = parent->proc->own_filter;
		p->has_shared_ro = parent->proc->has_shared_ro;
		if (flags & CLONE_VM) {
			p->vm_shared = true;
			if (!(flags & CLONE_VFORK))
				parent->proc->vm_shared = true;  /* a vfork parent waits */
		}
		rec_proc_started(r, tid, parent->proc->pid);
	}
	struct domain *d = parent->dom;
	bool own = (flags & CLONE_VFORK) ||
	           (!(flags & CLONE_VM) && !may_share(r, parent->proc));
	struct worker *dest = self;
	if (own) {
		d = domain_new(&self->t, __atomic_fetch_add(&r->ndomains, 1, __ATOMIC_RELAXED));
		d->stream = trc_stream_create(r->w, d->id);
		dest = workers_pick(&r->ws, self, 1);
		sched_busy_on(d->s, dest);   /* it is about to run */
	}
	struct task *c = task_new(&self->t, p, tid, tid);
	task_set_domain(c, d);
	c->sb = slot_inherit(parent, flags);
	c->has_affinity = parent->has_affinity;   /* inherited, like the real one */
	c->affinity = parent->affinity;
	__atomic_fetch_add(&r->ntasks_total, 1, __ATOMIC_RELAXED);
	workers_task_born(&r->ws);
	parent->new_child = true;
	parent->new_child_tid = c->rec_tid;
	parent->new_child_dom = d->id;
	parent->new_child_flags = flags;
	c->unannounced = !own;     /* rec_emit_new_task tells its stream */
	if (own) {
		/* A new stream starts by saying whose it is. */
		struct event ev = { .type = EV_TASK, .tid = c->rec_tid };
		ev.task.parent = parent->rec_tid;
		ev.task.flags = flags;
		ev.task.domain = d->id;
		rec_emit(r, c, &ev);
	}
	if (dest != self) {
		/* Move the child, stopped at its first stop, to the thread on
		 * another CPU; it takes its domain along. */
		int status = first_stop(tid);
		if (!WIFSTOPPED(status)) {       /* killed before it ever ran */
			rec_task_exited(r, c, status);
			pt_syscall(parent->tid, 0);
			return;
		}
		worker_move(&r->ws, dest, c, status);
	} else {
		int status;
		if (early_take(&self->t, tid, &status) && rec_take_domain(r, c, status))
			rec_handle_stop(r, c, status);
	}
	pt_syscall(parent->tid, 0);
}

/* After the parent's clone event: tell its own stream about the child. */
void rec_emit_new_task(struct recorder *r, struct task *parent)
{
	if (!parent->new_child)
		return;
	parent->new_child = false;
	struct task *c = task_find(&self->t, parent->new_child_tid);
	if (c)
		c->unannounced = false;
	struct event ev = { .type = EV_TASK, .tid = parent->new_child_tid };
	ev.task.parent = parent->rec_tid;
	ev.task.flags = parent->new_child_flags;
	ev.task.domain = parent->new_child_dom;
	rec_emit(r, parent, &ev);
}
