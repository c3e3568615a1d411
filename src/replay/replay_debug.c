/* replay_debug.c -- a debugger's breakpoints, watchpoints and single
 * steps in a libscribe session (replay_ctl.h, struct rp_dbg).
 *
 * Everything goes through the debug registers, so the program's memory is
 * never written (no int3: memory reads and scribe's own memory hashing see
 * the program as recorded).  DR0 stays the engine's (replay_locate.c);
 * DR1-DR3 are the debugger's.  The controller changes the slots while the
 * replay is stopped and bumps a generation; each tracer thread puts them
 * in its tasks' registers when it thaws, and in a task it takes on (a new
 * thread, an exec, which clears them, an adoption).
 *
 * A single step sets the trap flag in the task's saved flags rather than
 * resuming it with PTRACE_SINGLESTEP: the engine resumes tasks from many
 * places, and whichever resumes the task, the CPU traps after its next
 * user instruction.  The trap, like a breakpoint's, comes back as a
 * SIGTRAP stop that rp_dbg_trap turns into the session's stop. */
#include "replay/replay_int.h"

#include <errno.h>
#include <string.h>

#include "core/hwbp.h"
#include "core/ptrace.h"
#include "core/util.h"

#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif

#define EFLAGS_TF 0x100ull
#define SI_TRAP_TRACE 2        /* a single step (TRAP_TRACE) */

/* The slots this thread last put in its tasks. */
static __thread uint32_t applied_gen;

static bool concerns(const struct rp_dbg *g, const struct task *t)
{
	return !g->pid || (int32_t)t->proc->rec_pid == g->pid;
}

static void apply(const struct rp_dbg *g, struct task *t)
{
	static const struct hwbp_slot none[HWBP_USER_SLOTS];
	if (!t->dead)
		hwbp_set_user(t->tid, concerns(g, t) ? g->slot : none);
}

static void snapshot(struct replayer *r, struct rp_dbg *g)
{
	pthread_mutex_lock(&r->ctl->mu);
	*g = r->ctl->dbg;
	pthread_mutex_unlock(&r->ctl->mu);
}

void rp_dbg_task(struct replayer *r, struct task *t, bool exec)
{
	struct rp_dbg g;
	if (exec) {
		struct rp_dbg *d = &r->ctl->dbg;
		pthread_mutex_lock(&r->ctl->mu);
		size_t k = 0;
		for (size_t i = 0; i < d->nsw; i++)
			if (d->sw[i].pid != (int32_t)t->proc->rec_pid)
				d->sw[k++] = d->sw[i];
		d->nsw = k;
		pthread_mutex_unlock(&r->ctl->mu);
	}
	snapshot(r, &g);
	if (g.gen)
		apply(&g, t);
}

void rp_dbg_hide(struct replayer *r, int32_t rec_pid, uint64_t addr, void *buf, size_t len)
{
	const struct rp_dbg *d = &r->ctl->dbg;
	for (size_t i = 0; i < d->nsw; i++)
		if (d->sw[i].pid == rec_pid && d->sw[i].addr >= addr &&
		    d->sw[i].addr < addr + len)
			((uint8_t *)buf)[d->sw[i].addr - addr] = d->sw[i].orig;
}

/* The int3 at pc - 1 that t just ran: is it a software breakpoint?  Then
 * its process's (reported) or one copied into a child by fork (put the
 * byte back there, silently). */
static int soft_trap(struct replayer *r, struct task *t, uint64_t *addr)
{
	struct user_regs_struct regs;
	if (!pt_getregs(t->tid, &regs))
		return 0;
	uint64_t at = regs.rip - 1;
	struct rp_dbg *d = &r->ctl->dbg;
	int found = 0;
	uint8_t orig = 0;
	pthread_mutex_lock(&r->ctl->mu);
	for (size_t i = 0; i < d->nsw && !found; i++)
		if (d->sw[i].addr == at) {
			found = d->sw[i].pid == (int32_t)t->proc->rec_pid ? 1 : 2;
			orig = d->sw[i].orig;
		}
	pthread_mutex_unlock(&r->ctl->mu);
	if (!found)
		return 0;
	regs.rip = at;
	pt_setregs(t->tid, &regs);
	t->regs.rip = at;
	if (found == 2)
		task_write(t, at, &orig, 1);
	*addr = at;
	return found;
}

static void set_tf(struct task *t, bool on)
{
	struct user_regs_struct regs;
	if (!pt_getregs(t->tid, &regs))
		return;
	regs.eflags = on ? regs.eflags | EFLAGS_TF : regs.eflags & ~EFLAGS_TF;
	pt_setregs(t->tid, &regs);
	/* the engine may write back the registers it read at this stop */
	t->regs.eflags = on ? t->regs.eflags | EFLAGS_TF : t->regs.eflags & ~EFLAGS_TF;
}

void rp_dbg_thaw(struct replayer *r)
{
	struct rp_dbg g;
	snapshot(r, &g);
	if (g.gen != applied_gen) {
		for (struct task *t = self->t.tasks; t; t = t->next)
			apply(&g, t);
		applied_gen = g.gen;
	}
	if (g.step_tid)
		for (struct task *t = self->t.tasks; t; t = t->next)
			if ((int32_t)t->rec_tid == g.step_tid && !t->dead)
				set_tf(t, true);
}

/* Read a watched range's value in t's process. */
static bool read_slot(struct task *t, const struct hwbp_slot *s, uint8_t *out)
{
	return pt_read(t->tid, t->proc->memfd, s->addr, out, s->len) == (long)s->len;
}

/* Note the value of slot i as the debugger will see it now. */
static void note_value(struct replayer *r, struct task *t, int i)
{
	struct rp_dbg *g = &r->ctl->dbg;
	uint8_t v[8];
	if (!read_slot(t, &g->slot[i], v))
		return;
	pthread_mutex_lock(&r->ctl->mu);
	memcpy(g->last[i], v, sizeof(v));
	pthread_mutex_unlock(&r->ctl->mu);
}

/* Is a pending stop of t (not reported: another came first) still one
 * the debugger asked for? */
static bool still_wanted(struct replayer *r, const struct rp_stop *st)
{
	struct rp_dbg g;
	snapshot(r, &g);
	if (st->reason == RPS_STEP)
		return false;       /* a new step starts from here */
	if (st->slot < 0) {     /* software: still there? */
		bool there = false;
		pthread_mutex_lock(&r->ctl->mu);
		for (size_t i = 0; i < r->ctl->dbg.nsw; i++)
			there |= r->ctl->dbg.sw[i].addr == st->addr;
		pthread_mutex_unlock(&r->ctl->mu);
		return there;
	}
	const struct hwbp_slot *s = &g.slot[st->slot];
	return s->used && s->addr == st->addr;
}

static void report(struct replayer *r, struct task *t, struct rp_stop *st)
{
	st->stream = t->dom ? t->dom->id : 0;
	st->index = t->dom ? rp_index(r, t) : 0;
	st->tid = (int32_t)t->rec_tid;
	st->nr = -1;
	st->tevents = t->ctl_events;
	while (!rp_ctl_report(r, st))
		if (!still_wanted(r, st))
			return;
}

/* Resumed at a software breakpoint still in place (the controller did
 * not take it out to step over it, as gdb does): run the instruction it
 * covers with the original byte back for one single step.  True if done
 * (the step's stop went through rp_on_wait). */
static bool step_over(struct replayer *r, struct task *t, uint64_t at)
{
	struct rp_dbg *d = &r->ctl->dbg;
	bool there = false;
	uint8_t orig = 0;
	pthread_mutex_lock(&r->ctl->mu);
	for (size_t i = 0; i < d->nsw; i++)
		if (d->sw[i].addr == at && d->sw[i].pid == (int32_t)t->proc->rec_pid) {
			there = true;
			orig = d->sw[i].orig;
		}
	pthread_mutex_unlock(&r->ctl->mu);
	struct user_regs_struct regs;
	if (!there || !pt_getregs(t->tid, &regs) || regs.rip != at)
		return false;
	task_write(t, at, &orig, 1);
	if (ptrace(pt_sysemu() ? PTRACE_SYSEMU_SINGLESTEP : PTRACE_SINGLESTEP, t->tid, 0, 0) < 0)
		return false;
	int status = pt_wait(t->tid);
	uint8_t int3 = 0xcc;
	pthread_mutex_lock(&r->ctl->mu);
	there = false;
	for (size_t i = 0; i < d->nsw; i++)
		there |= d->sw[i].addr == at && d->sw[i].pid == (int32_t)t->proc->rec_pid;
	pthread_mutex_unlock(&r->ctl->mu);
	if (there && WIFSTOPPED(status))
		task_write(t, at, &int3, 1);
	rp_on_wait(r, t->tid, status);
	return true;
}

bool rp_dbg_trap(struct replayer *r, struct task *t, int status)
{
	if (WSTOPSIG(status) != SIGTRAP || ((unsigned)status >> 16))
		return false;
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	if (si.si_signo == SIGTRAP && si.si_code == SI_KERNEL) {
		struct rp_stop st = { .reason = RPS_BREAK, .slot = -1 };
		int k = soft_trap(r, t, &st.addr);
		if (!k)
			return false;   /* the program's own int3 */
		if (k == 1)
			report(r, t, &st);
		if (k == 1 && step_over(r, t, st.addr))
			return true;
		pt_cont(t->tid, 0);
		return true;
	}
	if (si.si_signo != SIGTRAP || (!hwbp_hit(&si) && si.si_code != SI_TRAP_TRACE))
		return false;
	unsigned long dr6 = hwbp_dr6(t->tid);
	struct rp_dbg g;
	snapshot(r, &g);
	struct rp_stop st = { .reason = RPS_NONE };
	/* the kernel's DR6 has the slots that fired; a step shows in si_code */
	bool step = si.si_code == SI_TRAP_TRACE || (dr6 & HWBP_DR6_STEP);
	if (!step && !(dr6 & 0xe))
		return false;       /* not a trap of ours: the program's own */
	if (step) {
		set_tf(t, false);
		if (g.step_tid == (int32_t)t->rec_tid) {
			st.reason = RPS_STEP;
			pthread_mutex_lock(&r->ctl->mu);
			r->ctl->dbg.step_tid = 0;
			pthread_mutex_unlock(&r->ctl->mu);
		}
	}
	for (int i = 0; i < HWBP_USER_SLOTS && st.reason != RPS_STEP; i++)
		if ((dr6 & (2ul << i)) && g.slot[i].used) {
			st.reason = g.slot[i].type == HWBP_EXEC ? RPS_BREAK : RPS_WATCH;
			st.addr = g.slot[i].addr;
			st.slot = i;
			if (st.reason == RPS_WATCH)
				note_value(r, t, i);
			break;
		}
	if (st.reason != RPS_NONE)
		report(r, t, &st);
	pt_cont(t->tid, 0);
	return true;
}

void rp_dbg_check_watch(struct replayer *r, struct task *t)
{
	struct rp_dbg g;
	snapshot(r, &g);
	if (!g.watching || !concerns(&g, t) || t->dead)
		return;
	for (int i = 0; i < HWBP_USER_SLOTS; i++) {
		uint8_t v[8] = {0};
		if (!g.slot[i].used || g.slot[i].type == HWBP_EXEC || !read_slot(t, &g.slot[i], v) ||
		    !memcmp(v, g.last[i], g.slot[i].len))
			continue;
		/* written by what the engine did for the event (an emulated
		 * call's out-memory, a restored snapshot): the hardware saw
		 * no store of the program's */
		pthread_mutex_lock(&r->ctl->mu);
		memcpy(r->ctl->dbg.last[i], v, sizeof(v));
		pthread_mutex_unlock(&r->ctl->mu);
		struct rp_stop st = { .reason = RPS_WATCH, .addr = g.slot[i].addr, .slot = i };
		report(r, t, &st);
		return;
	}
}

/* ---- the controller's side ---- */

/* Any live task of process pid (0: any), the replay at rest. */
static int32_t task_of(struct replayer *r, int32_t pid)
{
	for (int i = 0; i < r->ws.n; i++)
		for (struct task *t = r->ws.w[i].t.tasks; t; t = t->next)
			if (!t->dead && (!pid || (int32_t)t->proc->rec_pid == pid))
				return (int32_t)t->rec_tid;
	return 0;
}

/* An int3 at addr in process pid, or the byte it replaced back. */
static int soft_break(struct replayer *r, bool add, uint64_t addr, int32_t pid)
{
	struct rp_ctl *c = r->ctl;
	struct rp_dbg *d = &c->dbg;
	pthread_mutex_lock(&c->mu);
	size_t i = 0;
	while (i < d->nsw && !(d->sw[i].addr == addr && (d->sw[i].pid == pid || !pid)))
		i++;
	if (add)
		d->pid = pid;
	bool have = i < d->nsw;
	struct rp_swbp b = have ? d->sw[i] : (struct rp_swbp){ .addr = addr, .pid = pid };
	if (have && !add)
		d->sw[i] = d->sw[--d->nsw];
	pthread_mutex_unlock(&c->mu);
	if (have == add)
		return add ? 0 : -ENOENT;
	int32_t tid = task_of(r, b.pid);
	if (!tid)
		return add ? -EFAULT : 0;      /* its process is gone */
	/* read it raw (not in the list now, or not yet) */
	uint8_t cur;
	if (rp_ctl_request(r, RQ_READ, tid, addr, &cur, 1) != 1)
		return -EFAULT;
	if (!add) {
		/* an exec since may have put something else there */
		if (cur == 0xcc)
			rp_ctl_request(r, RQ_WRITE, tid, addr, &b.orig, 1);
		return 0;
	}
	b.orig = cur;
	uint8_t int3 = 0xcc;
	if (rp_ctl_request(r, RQ_WRITE, tid, addr, &int3, 1) != 1)
		return -EFAULT;
	pthread_mutex_lock(&c->mu);
	d->sw = xrealloc(d->sw, (d->nsw + 1) * sizeof(*d->sw));
	d->sw[d->nsw++] = b;
	pthread_mutex_unlock(&c->mu);
	return 0;
}

int rp_ctl_break(struct replayer *r, bool add, int type, uint64_t addr, uint32_t len, int32_t pid)
{
	struct rp_ctl *c = r->ctl;
	if (type == RP_SOFT_BREAK)
		return soft_break(r, add, addr, pid);
	if (!hwbp_valid(type, addr, len))
		return -EINVAL;
	uint8_t v[8] = {0};
	if (add && type != HWBP_EXEC) {
		int32_t tid = task_of(r, pid);
		if (!tid || rp_ctl_request(r, RQ_READ, tid, addr, v, len) != (long)len)
			return -EFAULT;
	}
	pthread_mutex_lock(&c->mu);
	struct rp_dbg *g = &c->dbg;
	int rc = add ? -ENOSPC : -ENOENT;
	for (int i = 0; i < HWBP_USER_SLOTS; i++) {
		struct hwbp_slot *s = &g->slot[i];
		if (!add && s->used && s->type == type && s->addr == addr && s->len == len) {
			s->used = false;
			rc = 0;
			break;
		}
		if (add && !s->used) {
			*s = (struct hwbp_slot){ .used = true, .type = type, .addr = addr, .len = len };
			memcpy(g->last[i], v, sizeof(v));
			rc = 0;
			break;
		}
	}
	if (rc == 0) {
		g->pid = pid;
		g->gen++;
		g->watching = false;
		for (int i = 0; i < HWBP_USER_SLOTS; i++)
			g->watching |= g->slot[i].used && g->slot[i].type != HWBP_EXEC;
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

void rp_ctl_step(struct replayer *r, int32_t rec_tid)
{
	pthread_mutex_lock(&r->ctl->mu);
	r->ctl->dbg.step_tid = rec_tid;
	pthread_mutex_unlock(&r->ctl->mu);
}
