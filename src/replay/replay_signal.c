/* replay_signal.c -- reproduce signal deliveries and rdtsc results.
 *
 * Faults happen again by themselves and are only checked.  Every other
 * recorded signal is sent by scribe (tgkill) at the recorded point and
 * given its recorded siginfo at the delivery stop, so the handler sees
 * exactly what it saw when recording.  Signals that reach the program
 * from outside during replay are not part of the recording and are
 * dropped. */
#include "replay/replay_int.h"

#include <signal.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/ptrace.h"
#include "core/sig.h"

void rp_send_signal(struct replayer *r, struct task *t, const struct event *ev)
{
	memcpy(&t->inject_info, ev->sig.info.p, sizeof(t->inject_info));
	t->injecting = true;
	syscall(SYS_tgkill, t->proc->pid, t->tid, ev->sig.signo);
}

void rp_deliver_at_syscall(struct replayer *r, struct task *t, const struct event *ev)
{
	/* As recorded: back to the syscall instruction, as if the signal had
	 * arrived just before it; the call is made again after the handler. */
	pt_put_back_syscall(t->tid, &t->regs);
	rp_send_signal(r, t, ev);
	pt_cont(t->tid, 0);
}

static void expect(struct replayer *r, struct task *t, const struct event *ev, int type,
                   const char *got)
{
	if (ev && ev->type == type && ev->tid == t->rec_tid)
		return;
	if (!ev)
		rp_trace_ended(r, t, got);
	char want[256];
	rp_describe(ev, want, sizeof(want));
	rp_diverge(r, t, "expected %s, got %s", want, got);
}

static void replay_tsc(struct replayer *r, struct task *t, const struct event *ev)
{
	rp_sb_settle(r, t);
	if (ev->tsc.ip != t->regs.rip)
		rp_diverge(r, t, "expected rdtsc at ip %#llx, got it at %#llx",
		           (unsigned long long)ev->tsc.ip, (unsigned long long)t->regs.rip);
	struct user_regs_struct regs = t->regs;
	regs.rax = (uint32_t)ev->tsc.tsc;
	regs.rdx = ev->tsc.tsc >> 32;
	if (ev->tsc.rdtscp)
		regs.rcx = ev->tsc.aux;
	regs.rip += ev->tsc.rdtscp ? 3 : 2;
	pt_setregs(t->tid, &regs);
	rp_consume(r, t);
	rp_resume(r, t);
}

/* A cpuid trapped: answered as recorded.  A trace without the event
 * there (recorded where cpuid could not be trapped, or by a scribe without
 * EV_CPUID) had the program run it: so does replay. */
static bool replay_cpuid(struct replayer *r, struct task *t, const struct event *ev)
{
	uint8_t code[2] = {0};
	if (!r->cpuid_fault || task_read(t, t->regs.rip, code, 2) != 2 || code[0] != 0x0f ||
	    code[1] != 0xa2)
		return false;
	uint32_t out[4];
	struct user_regs_struct regs = t->regs;
	if (ev && ev->type == EV_CPUID && ev->tid == t->rec_tid) {
		rp_sb_settle(r, t);
		if (ev->cpuid.ip != t->regs.rip || ev->cpuid.leaf != (uint32_t)regs.rax ||
		    ev->cpuid.subleaf != (uint32_t)regs.rcx)
			rp_diverge(r, t, "expected cpuid(%#x, %#x) at ip %#llx, got cpuid(%#x, %#x) "
			           "at %#llx", ev->cpuid.leaf, ev->cpuid.subleaf,
			           (unsigned long long)ev->cpuid.ip, (uint32_t)regs.rax,
			           (uint32_t)regs.rcx, (unsigned long long)regs.rip);
		memcpy(out, ev->cpuid.out, sizeof(out));
		rp_consume(r, t);
	} else {
		cpu_cpuid((uint32_t)regs.rax, (uint32_t)regs.rcx, out);
	}
	cpu_cpuid_answer(&regs, out);
	pt_setregs(t->tid, &regs);
	rp_resume(r, t);
	return true;
}

/* A signal the recording does not have -- a real child's SIGCHLD (forks
 * run again on replay), a kill from outside -- is dropped right where it
 * stops the task, before the task is parked: parked, it would count as
 * having reached its next stop, and the domain could switch to a sibling
 * at a point where the recording did not. */
bool rp_drop_outside_signal(struct task *t, int status)
{
	int sig = WSTOPSIG(status);
	if (((unsigned)status >> 16) || sig == SIGTRAP || (sig & 0x80) || !t->proc->execed ||
	    !t->started)
		return false;
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	if ((t->injecting && sig == t->inject_info.si_signo) || sig_is_fault(&si))
		return false;
	pt_cont(t->tid, 0);
	return true;
}

void rp_signal_stop(struct replayer *r, struct task *t, int sig)
{
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	pt_getregs(t->tid, &t->regs);
	if (!t->proc->execed) {
		pt_cont(t->tid, sig);
		return;
	}
	const struct event *ev = rp_peek(r, t, 0);
	char got[96];
	snprintf(got, sizeof(got), "%s at ip %#llx", sig_name(sig), (unsigned long long)t->regs.rip);
	if (t->injecting && sig == t->inject_info.si_signo) {
		expect(r, t, ev, EV_SIGNAL, got);
		t->injecting = false;
		pt_setsiginfo(t->tid, &t->inject_info);
		rp_consume(r, t);
		rp_resume_sig(r, t, sig);
		return;
	}
	if (sig == SIGSEGV && si.si_code == SI_KERNEL && ev && ev->type == EV_RDTSC &&
	    ev->tid == t->rec_tid) {
		replay_tsc(r, t, ev);
		return;
	}
	if (sig == SIGSEGV && si.si_code == SI_KERNEL && replay_cpuid(r, t, ev))
		return;
	if (sig_is_fault(&si)) {
		rp_sb_settle(r, t);
		expect(r, t, ev, EV_SIGNAL, got);
		if (ev->sig.signo != sig || ev->sig.kind != SIGK_FAULT || ev->sig.ip != t->regs.rip) {
			char want[256];
			rp_describe(ev, want, sizeof(want));
			rp_diverge(r, t, "expected %s, got %s", want, got);
		}
		rp_consume(r, t);
		rp_resume_sig(r, t, sig);
		return;
	}
	pt_cont(t->tid, 0);     /* from outside, not part of the recording */
}
