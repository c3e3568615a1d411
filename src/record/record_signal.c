/* record_signal.c -- record signal deliveries and emulate rdtsc.
 *
 * Where a signal lands decides how replay reproduces it:
 *  - a fault (SIGSEGV from a bad access, int3, ud2, divide by zero...)
 *    happens again by itself when replay runs the same instruction;
 *  - a signal taken on the way out of a syscall (raise, kill to self,
 *    SIGPIPE, a blocking call interrupted) is re-sent by replay at the same
 *    syscall exit, and the kernel applies the same restart rules;
 *  - an asynchronous signal that arrives while the task computes in user
 *    space is held back and delivered at the entry of the task's next
 *    syscall, as if it had arrived just before the syscall instruction, in
 *    both record and replay (placing it at an arbitrary instruction needs
 *    the full-state signatures of DESIGN section 5);
 *  - an asynchronous signal that kills the task is let through at once;
 *    replay kills the task right after its last recorded event;
 *  - several signals taken together (a mask change that lets a few in)
 *    are all held, in order; the first is let in, the rest go back to the
 *    kernel at its delivery, which takes them as it did natively: those
 *    taken before the first one's handler runs are nested in it
 *    (SIGK_NESTED), and replay sends each at the delivery before it. */
#include "record/record_int.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/hwbp.h"
#include "core/ptrace.h"
#include "core/sig.h"
#include "core/slot.h"

static void emit_signal(struct recorder *r, struct task *t, const siginfo_t *si, int kind)
{
	struct event ev = { .type = EV_SIGNAL, .tid = t->rec_tid };
	ev.sig.signo = si->si_signo;
	ev.sig.kind = kind;
	ev.sig.ip = t->regs.rip;
	ev.sig.info = (struct ev_bytes){ (const uint8_t *)si, sizeof(*si) };
	rec_emit(r, t, &ev);
}

/* rdtsc is 0f 31, rdtscp 0f 01 f9.  Returns the instruction length. */
static int tsc_insn(struct task *t, bool *rdtscp)
{
	uint8_t code[3] = {0};
	if (task_read(t, t->regs.rip, code, 3) < 2)
		return 0;
	if (code[0] == 0x0f && code[1] == 0x31) {
		*rdtscp = false;
		return 2;
	}
	if (code[0] == 0x0f && code[1] == 0x01 && code[2] == 0xf9) {
		*rdtscp = true;
		return 3;
	}
	return 0;
}

static bool emulate_tsc(struct recorder *r, struct task *t)
{
	bool rdtscp;
	int len = tsc_insn(t, &rdtscp);
	if (!len)
		return false;
	struct event ev = { .type = EV_RDTSC, .tid = t->rec_tid };
	ev.tsc.rdtscp = rdtscp;
	ev.tsc.ip = t->regs.rip;
	ev.tsc.tsc = rdtscp ? cpu_rdtscp(&ev.tsc.aux) : cpu_tsc_now();
	struct user_regs_struct regs = t->regs;
	regs.rax = (uint32_t)ev.tsc.tsc;
	regs.rdx = ev.tsc.tsc >> 32;
	if (rdtscp)
		regs.rcx = ev.tsc.aux;
	regs.rip += len;
	pt_setregs(t->tid, &regs);
	rec_sb_flush(r, t);
	rec_emit(r, t, &ev);
	rec_cont(t, 0);
	return true;
}

/* Are a and b the same signal for the kernel's pending set: a standard
 * signal sent to the same queue (the thread's or the process'), or a
 * POSIX timer's (it has one sigqueue entry)? */
static bool same_pending(const siginfo_t *a, const siginfo_t *b)
{
	if (a->si_signo != b->si_signo)
		return false;
	if (a->si_signo < SIGRTMIN)
		return (a->si_code == SI_TKILL) == (b->si_code == SI_TKILL);
	return a->si_code == SI_TIMER && b->si_code == SI_TIMER && a->si_timerid == b->si_timerid;
}

/* The first held signal of a kind counts as taken by the program (its
 * handler runs late, not never), a second as pending behind it, blocked
 * by the handler's mask.  A third meets that pending one as the kernel
 * would: a standard signal is not queued again, and a POSIX timer's
 * expiry adds to the overrun of its pending signal (the kernel re-arms a
 * timer only when its signal is taken -- here, when scribe holds it, so
 * it went on firing).  Without this, a task whose held signal waited for
 * seconds (record_preempt.c) got one signal per 5 ms expiry, thousands,
 * each run through the handler.  True if si went into a held one so. */
static bool held_merge(struct task *t, const siginfo_t *si)
{
	int seen = 0;
	for (size_t i = 0; t->held && i <= t->nhq; i++) {
		siginfo_t *h = i ? &t->hq[i - 1] : &t->held_info;
		if (!same_pending(h, si) || ++seen < 2)
			continue;
		if (si->si_code == SI_TIMER) {
			long long o = (long long)h->si_overrun + 1 + si->si_overrun;
			h->si_overrun = o > INT_MAX ? INT_MAX : (int)o;
		}
		return true;
	}
	return false;
}

/* The held signals, in the order the kernel handed them over: the first
 * in t->held_info, the rest in t->hq. */
static void held_push(struct task *t, const siginfo_t *si)
{
	if (held_merge(t, si))
		return;
	if (!t->held) {
		t->held = true;
		t->held_info = *si;
		t->held_since = mono_ns();
		rec_sb_want_sync(t, true);   /* the library makes a stop for it soon */
		return;
	}
	t->hq = xgrow(t->hq, t->nhq, &t->cap_hq, sizeof(*t->hq), 4);
	t->hq[t->nhq++] = *si;
}

void rec_held_pop(struct task *t)
{
	if (!t->nhq) {
		t->held = false;
		rec_sb_want_sync(t, false);
		return;
	}
	t->held_info = t->hq[0];
	memmove(t->hq, t->hq + 1, --t->nhq * sizeof(*t->hq));
	t->held_since = mono_ns();
}

/* Keep an asynchronous signal back for the task's next syscall entry (or
 * a signature: record_preempt.c), after those held already.  This stop,
 * in the middle of user code, is as good a place to look for a signature
 * as the interrupt's that rec_tick asks for once a held signal waited
 * 3 ms -- and often the only one: the signal stop the task reached first
 * took the interrupt (record_preempt.c). */
static void hold(struct recorder *r, struct task *t, const siginfo_t *si)
{
	bool waiting = t->held;
	held_push(t, si);
	if (!waiting || !rec_preempt_here(r, t))
		rec_cont(t, 0);
}

/* Drop the held signals drop() says so of (it may send them elsewhere). */
static void held_filter(struct task *t, bool (*drop)(struct task *, const siginfo_t *))
{
	if (!t->held)
		return;
	uint64_t since = t->held_since;   /* how long the first waited goes on */
	size_t n = t->nhq + 1;
	siginfo_t *all = xmalloc(n * sizeof(*all));
	all[0] = t->held_info;
	if (t->nhq)
		memcpy(all + 1, t->hq, t->nhq * sizeof(*all));
	t->held = false;
	t->nhq = 0;
	for (size_t i = 0; i < n; i++)
		if (!drop(t, &all[i]))
			held_push(t, &all[i]);
	free(all);
	if (!t->held)
		rec_sb_want_sync(t, false);
	else
		t->held_since = since;
}

void rec_resend(struct task *t, const siginfo_t *si, bool to_thread)
{
	int sig = si->si_signo;
	if (sig < SIGRTMIN && sig_pending(t->tid, sig))
		return;     /* pending already: a standard signal coalesces */
	struct process *p = t->proc;
	p->resent = xgrow(p->resent, p->nresent, &p->cap_resent, sizeof(*p->resent), 4);
	p->resent[p->nresent++] = (struct resent){ *si, to_thread };
	if (to_thread)
		syscall(SYS_tgkill, p->pid, t->tid, sig);
	else
		kill(p->pid, sig);
}

/* A signal scribe sent back (rec_resend) is taken: it gets its own siginfo
 * again -- the kernel's names scribe as the sender. */
static void resent_info(struct task *t, siginfo_t *si)
{
	struct process *p = t->proc;
	if (si->si_pid != getpid() || (si->si_code != SI_USER && si->si_code != SI_TKILL))
		return;
	for (size_t i = 0; i < p->nresent; i++) {
		if (p->resent[i].info.si_signo != si->si_signo ||
		    p->resent[i].to_thread != (si->si_code == SI_TKILL))
			continue;
		*si = p->resent[i].info;
		memmove(p->resent + i, p->resent + i + 1, (--p->nresent - i) * sizeof(*p->resent));
		pt_setsiginfo(t->tid, si);
		return;
	}
}

/* Has the task blocked this held signal since it was held?  Buffered calls
 * change the mask without a stop (a thread's exit blocks every signal
 * first).  Natively it would have been taken before the mask changed;
 * handing it in now would leave it pending here, unrecorded, or lost with
 * the thread.  It goes back to the kernel, to the process (or the thread it
 * was sent to), which delivers it when and where it can: that delivery is
 * recorded then. */
static bool resend_if_blocked(struct task *t, const siginfo_t *si)
{
	uint64_t blocked;
	if (ptrace(PTRACE_GETSIGMASK, t->tid, (void *)sizeof(blocked), &blocked) != 0 ||
	    !(blocked >> (si->si_signo - 1) & 1))
		return false;
	rec_resend(t, si, si->si_code == SI_TKILL);
	return true;
}

bool rec_held_now_blocked(struct task *t)
{
	held_filter(t, resend_if_blocked);
	return !t->held;
}

static bool is_stop(struct task *t, const siginfo_t *si)
{
	(void)t;
	return sig_is_stop(si->si_signo);
}

void rec_held_drop_stops(struct task *t)
{
	held_filter(t, is_stop);
}

static bool resend(struct task *t, const siginfo_t *si)
{
	if (sig_is_stop(si->si_signo))
		return false;
	rec_resend(t, si, si->si_code == SI_TKILL);
	return true;
}

/* Let the task go into the handler of sig.  The signals still held go back
 * to the kernel now, each to the thread or the process it was sent to: the
 * kernel then treats them as it did natively, pending with sig -- those
 * the handler's mask lets in are taken before it runs, nested (recorded
 * then: SIGK_NESTED; the last taken runs first), the others when the mask
 * lets them in. */
static void enter_handler(struct task *t, int sig)
{
	t->nest_sig = sig;
	held_filter(t, resend);
	rec_cont(t, sig);
}

/* Is the task at the entry of the handler the kernel has just set up for
 * sig, none of it run?  x86-64's frame setup leaves rdi = sig, rax = 0,
 * rdx = the frame's ucontext right above the return address at rsp, and
 * rsi = its siginfo right after that ucontext (the kernel's: 304 bytes). */
static bool nested_frame(const struct task *t, int sig)
{
	const struct user_regs_struct *g = &t->regs;
	return sig && g->rdi == (unsigned long long)sig && g->rax == 0 &&
	       g->rdx == g->rsp + 8 && g->rsi == g->rsp + 8 + 304;
}

void rec_deliver_held(struct recorder *r, struct task *t)
{
	siginfo_t si = t->held_info;
	/* A stop signal has no event: the task stops at this entry and
	 * makes the call after SIGCONT, which replay sees as a task letting
	 * its domain go at a syscall entry. */
	if (sig_is_stop(si.si_signo))
		t->stop_exact = true;
	else
		emit_signal(r, t, &si, SIGK_AT_SYSCALL);
	/* The handler's frame resumes at the syscall instruction, and the
	 * call is made again after the handler returns. */
	pt_put_back_syscall(t->tid, &t->regs);
	rec_held_pop(t);
	t->injecting = true;
	t->inject_info = si;
	syscall(SYS_tgkill, t->proc->pid, t->tid, si.si_signo);
	rec_cont(t, 0);
}

void rec_signal_stop(struct recorder *r, struct task *t, int sig)
{
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	if (!pt_getregs(t->tid, &t->regs))
		return;                   /* SIGKILLed since it stopped */
	bool at_exit = t->after_syscall && !memcmp(&t->regs, &t->exit_regs, sizeof(t->regs));
	t->after_syscall = false;
	int nest = t->nest_sig;
	t->nest_sig = 0;

	if (!t->proc->execed) {              /* before the program's exec */
		rec_cont(t, sig);
		return;
	}
	if (hwbp_hit(&si)) {
		/* A probe's breakpoint trap, reported after the probe ended
		 * (record_preempt.c): the interrupt that ended it was taken
		 * first, the trap left pending; or the interrupt was taken by
		 * the trap, and the task hit the breakpoint again.  scribe's,
		 * not the program's: handed in, it killed it (one recording
		 * of timer_create in 500 died of SIGTRAP).  Programs cannot
		 * set debug registers (no ptrace under scribe). */
		t->nest_sig = nest;
		rec_cont(t, 0);
		return;
	}
	if (t->injecting && sig == t->inject_info.si_signo) {
		/* Our own tgkill of a held signal: give it its original siginfo. */
		t->injecting = false;
		pt_setsiginfo(t->tid, &t->inject_info);
		if (sig_is_stop(sig))
			rec_cont(t, sig);
		else
			enter_handler(t, sig);
		return;
	}
	resent_info(t, &si);
	if (sig == SIGSEGV && si.si_code == SI_KERNEL && emulate_tsc(r, t))
		return;
	if (sig == SIGSEGV && si.si_code == SI_KERNEL && task_emulate_cpuid(t)) {
		rec_cont(t, 0);
		return;
	}
	if (sig_is_fault(&si)) {
		rec_sb_flush(r, t);
		emit_signal(r, t, &si, SIGK_FAULT);
		enter_handler(t, sig);
		return;
	}
	if (sig == SIGCONT)
		rec_cont_seen(t->proc);
	enum sig_disp disp = sig_disposition(t->tid, sig);
	if (disp == DISP_IGNORE || (disp == DISP_DEFAULT && sig_default_ignores(sig))) {
		t->nest_sig = nest;         /* nothing of the program ran */
		rec_cont(t, 0);             /* no effect on the program */
		return;
	}
	if (disp == DISP_DEFAULT && sig_is_stop(sig)) {
		/* Job control: timing only, but a task that shares its domain
		 * must stop where it can let the domain go (record_jobctl.c). */
		if (!rec_stop_shared(t) || (t->held && !sig_is_stop(t->held_info.si_signo)))
			rec_cont(t, sig);
		else if (t->held)
			rec_cont(t, 0);     /* one stop is held already */
		else
			hold(r, t, &si);
		return;
	}
	/* Inside the preload library (the exit of its flush call, or one of
	 * its untraced calls raised it: SIGPIPE) a signal waits until the
	 * library asks for it, at the end of the call. */
	bool in_lib = slot_in_call(t);
	if (at_exit && !in_lib) {
		emit_signal(r, t, &si, SIGK_AFTER_SYSCALL);
		enter_handler(t, sig);
		return;
	}
	if (disp == DISP_DEFAULT) {
		rec_sb_flush(r, t);
		emit_signal(r, t, &si, SIGK_FATAL);
		rec_cont(t, sig);
		return;
	}
	if (nested_frame(t, nest)) {
		/* Pending with the one just taken: replay sends it at that
		 * one's delivery, and the kernel nests it the same way. */
		emit_signal(r, t, &si, SIGK_NESTED);
		enter_handler(t, sig);
		return;
	}
	/* Several may come before the next syscall (a mask change that lets
	 * a few in at once): all are kept, in order; none is lost. */
	hold(r, t, &si);
}
