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
 *    replay kills the task right after its last recorded event. */
#include "record/record_int.h"

#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cpu.h"
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

/* cpuid (0f a2) faults with CPUID faulting on: run it here, on the CPU
 * the task runs on (tracer threads and their tasks share one), and keep
 * the answer. */
static bool emulate_cpuid(struct recorder *r, struct task *t)
{
	uint8_t code[2] = {0};
	if (!r->cpuid_fault || task_read(t, t->regs.rip, code, 2) != 2 || code[0] != 0x0f ||
	    code[1] != 0xa2)
		return false;
	struct event ev = { .type = EV_CPUID, .tid = t->rec_tid };
	struct ev_cpuid *c = &ev.cpuid;
	c->ip = t->regs.rip;
	c->leaf = (uint32_t)t->regs.rax;
	c->subleaf = (uint32_t)t->regs.rcx;
	cpu_cpuid(c->leaf, c->subleaf, c->out);
	struct user_regs_struct regs = t->regs;
	cpu_cpuid_answer(&regs, c->out);
	pt_setregs(t->tid, &regs);
	rec_sb_flush(r, t);
	rec_emit(r, t, &ev);
	rec_cont(t, 0);
	return true;
}

/* Has the task blocked signo since it was held?  Buffered calls change the
 * mask without a stop (a thread's exit blocks every signal first). */
static bool now_blocked(struct task *t, int signo)
{
	uint64_t blocked;
	return ptrace(PTRACE_GETSIGMASK, t->tid, (void *)sizeof(blocked), &blocked) == 0 &&
	       (blocked >> (signo - 1) & 1);
}

bool rec_held_now_blocked(struct task *t)
{
	if (!t->held || !now_blocked(t, t->held_info.si_signo))
		return false;
	/* Natively it would have been taken before the mask changed; handing
	 * it in now would leave it pending here, unrecorded, or lost with the
	 * thread.  It goes back to the kernel, to the process (or the thread
	 * it was sent to), which delivers it when and where it can: that
	 * delivery is recorded then. */
	t->held = false;
	rec_sb_want_sync(t, false);
	if (t->held_info.si_code == SI_TKILL)
		syscall(SYS_tgkill, t->proc->pid, t->tid, t->held_info.si_signo);
	else
		kill(t->proc->pid, t->held_info.si_signo);
	return true;
}

void rec_deliver_held(struct recorder *r, struct task *t)
{
	/* A stop signal has no event: the task stops at this entry and
	 * makes the call after SIGCONT, which replay sees as a task letting
	 * its domain go at a syscall entry. */
	if (sig_is_stop(t->held_info.si_signo))
		t->stop_exact = true;
	else
		emit_signal(r, t, &t->held_info, SIGK_AT_SYSCALL);
	/* The handler's frame resumes at the syscall instruction, and the
	 * call is made again after the handler returns. */
	pt_put_back_syscall(t->tid, &t->regs);
	t->held = false;
	rec_sb_want_sync(t, false);
	t->injecting = true;
	t->inject_info = t->held_info;
	syscall(SYS_tgkill, t->proc->pid, t->tid, t->held_info.si_signo);
	rec_cont(t, 0);
}

/* Keep an asynchronous signal back for the task's next syscall entry (or
 * a signature: record_preempt.c). */
static void hold(struct task *t, const siginfo_t *si)
{
	t->held = true;
	t->held_info = *si;
	t->held_since = mono_ns();
	rec_sb_want_sync(t, true);   /* the library makes a stop for it soon */
	rec_cont(t, 0);
}

void rec_signal_stop(struct recorder *r, struct task *t, int sig)
{
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	if (t->requeued && sig == t->requeue_info.si_signo) {
		/* Sent back to the kernel while parked (record_jobctl.c). */
		t->requeued = false;
		si = t->requeue_info;
		pt_setsiginfo(t->tid, &si);
	}
	if (!pt_getregs(t->tid, &t->regs))
		return;                   /* SIGKILLed since it stopped */
	bool at_exit = t->after_syscall && !memcmp(&t->regs, &t->exit_regs, sizeof(t->regs));
	t->after_syscall = false;

	if (!t->proc->execed) {              /* before the program's exec */
		rec_cont(t, sig);
		return;
	}
	if (t->injecting && sig == t->inject_info.si_signo) {
		/* Our own tgkill of a held signal: give it its original siginfo. */
		t->injecting = false;
		pt_setsiginfo(t->tid, &t->inject_info);
		rec_cont(t, sig);
		return;
	}
	if (sig == SIGSEGV && si.si_code == SI_KERNEL && (emulate_tsc(r, t) || emulate_cpuid(r, t)))
		return;
	if (sig_is_fault(&si)) {
		rec_sb_flush(r, t);
		emit_signal(r, t, &si, SIGK_FAULT);
		rec_cont(t, sig);
		return;
	}
	if (sig == SIGCONT)
		rec_cont_seen(t->proc);
	enum sig_disp disp = sig_disposition(t->tid, sig);
	if (disp == DISP_IGNORE || (disp == DISP_DEFAULT && sig_default_ignores(sig))) {
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
			hold(t, &si);
		return;
	}
	/* Inside the preload library (the exit of its flush call, or one of
	 * its untraced calls raised it: SIGPIPE) a signal waits until the
	 * library asks for it, at the end of the call. */
	bool in_lib = slot_in_call(t);
	if (at_exit && !in_lib) {
		emit_signal(r, t, &si, SIGK_AFTER_SYSCALL);
		rec_cont(t, sig);
		return;
	}
	if (disp == DISP_DEFAULT) {
		rec_sb_flush(r, t);
		emit_signal(r, t, &si, SIGK_FATAL);
		rec_cont(t, sig);
		return;
	}
	if (t->held) {
		/* A second one before the next syscall: standard signals
		 * coalesce in the kernel too; keep the first. */
		rec_cont(t, 0);
		return;
	}
	hold(t, &si);
}
