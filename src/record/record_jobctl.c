/* record_jobctl.c -- job control (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU)
 * inside a memory domain.
 *
 * A group-stop completes, and the stopped process' parent hears of it
 * (waitpid with WUNTRACED: a shell's Ctrl-Z), only once every thread of the
 * process has entered it.  A thread parked for its domain sits in a
 * ptrace-stop of ours and never would, so the recording hung.  And a
 * stopped task that kept its domain would starve the domain's other
 * processes, one of which may be the parent that is to send SIGCONT.
 *
 * So:
 *  - a stop signal for a task that shares its domain is held like an
 *    asynchronous signal and let in at a point replay can find: the entry
 *    of the task's next syscall (made again after the stop), or a
 *    signature (an EV_PREEMPT).  Entering the group-stop there, the task
 *    gives up its domain;
 *  - every parked task of the stopping process is kicked: interrupted and
 *    resumed from its stop in a way that runs nothing of its own (a syscall
 *    it was about to make is put back, to be made again), so it enters the
 *    group-stop too.  What it was parked with is handled later, at the
 *    stop where it then waits, exactly as it would have been;
 *  - a task in a group-stop may not take the domain before SIGCONT, and
 *    one kicked before the latest stop began is kicked again first (stop
 *    reports of different tasks come in any order: stop_gen).
 * A SIGCONT sent while a stop signal is held cancels it, as the kernel
 * would have: the stop is dropped, or the process would stay stopped.
 * Replay sees none of this: job control changes timing, not results, and
 * every change of holder is still at a point the events pin down.  A stop
 * that comes where no such point is (a lone task, or a stop signal while
 * another signal is held) keeps the old rule: the stopped task keeps its
 * domain until SIGCONT, and only its own process is kicked. */
#include "record/record_int.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ptrace.h"
#include "core/sig.h"

bool rec_stop_shared(const struct task *t)
{
	return t->dom->ntasks > 1 || t->dom->s->grouped;
}

void rec_cont_seen(struct process *p)
{
	for (struct task *k = self->t.tasks; k; k = k->next) {
		if (k->proc == p)
			rec_held_drop_stops(k);
	}
}

/* Is a SIGCONT pending in the process (sent, not taken yet)? */
static bool cont_pending(const struct process *p)
{
	for (struct task *k = self->t.tasks; k; k = k->next)
		if (k->proc == p && sig_pending(k->tid, SIGCONT))
			return true;
	return false;
}

bool rec_held_stop_cancelled(struct task *t)
{
	if (!t->held || !sig_is_stop(t->held_info.si_signo) || !cont_pending(t->proc))
		return false;
	rec_cont_seen(t->proc);
	return true;
}

/* A fault happens again by itself when its instruction runs again. */
static bool refaults(const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL:
		return si->si_code > 0;
	default:
		return false;
	}
}

/* Make the parked task's stop one it can leave without running anything:
 * false if it cannot be (an event stop whose message its handling reads). */
static bool make_resumable(struct task *t)
{
	int st = t->parked_status, event = (unsigned)st >> 16, sig = WSTOPSIG(st);
	if (event == PTRACE_EVENT_SECCOMP) {
		/* About to make a syscall: back to its instruction, to be made
		 * again when the task gets its domain (as rec_deliver_held). */
		struct user_regs_struct regs;
		if (!pt_getregs(t->tid, &regs))
			return false;
		pt_put_back_syscall(t->tid, &regs);
		t->parked_status = SYNTH_RESUME;
	} else if (event == 0 && sig != (SIGTRAP | 0x80)) {
		/* A signal-delivery-stop: the signal goes back to the kernel
		 * with its siginfo (rec_signal_stop restores it), or, a fault,
		 * comes again by itself. */
		siginfo_t si;
		pt_getsiginfo(t->tid, &si);
		if (!refaults(&si))
			rec_resend(t, &si, true);
		t->parked_status = SYNTH_RESUME;
	} else if (event != 0 && event != PTRACE_EVENT_STOP) {
		return false;
	}
	return true;
}

/* Let a parked task of ours enter its process' group-stop. */
void rec_kick(struct task *t)
{
	if (!t->parked || t->kick == KICK_RUNNING || t->kick == KICK_LISTEN)
		return;
	int st = t->parked_status;
	if (!t->kick && ((unsigned)st >> 16) == PTRACE_EVENT_STOP && sig_is_stop(WSTOPSIG(st))) {
		/* Parked at its group-stop already. */
		ptrace(PTRACE_LISTEN, t->tid, 0, 0);
		t->parked_status = SYNTH_RESUME;
		t->kick = KICK_LISTEN;
		t->kick_gen = t->proc->stop_gen;
		return;
	}
	if (!t->kick && !make_resumable(t))
		return;
	/* The interrupt traps before the task is back in user space: in the
	 * group-stop if one is pending for it, else at once. */
	ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	t->stray_interrupt = false;
	pt_cont(t->tid, 0);
	t->kick = KICK_RUNNING;
	t->kick_gen = t->proc->stop_gen;
}

static void kick_process(struct process *p)
{
	for (struct task *k = self->t.tasks; k; k = k->next)
		if (k->proc == p && k->parked)
			rec_kick(k);
}

void rec_group_stop(struct recorder *r, struct task *t)
{
	ptrace(PTRACE_LISTEN, t->tid, 0, 0);
	rec_jobstop(r, t->proc, true);
	t->proc->stop_gen++;
	kick_process(t->proc);
	t->kick = KICK_LISTEN;
	if (!t->stop_exact)
		return;          /* keeps its domain (see the top of the file) */
	t->stop_exact = false;
	rec_park_release(r, t, SYNTH_RESUME);
}

bool rec_kicked_stop(struct recorder *r, struct task *t, int status)
{
	if (!t->kick || !WIFSTOPPED(status))
		return false;
	int event = (unsigned)status >> 16, sig = WSTOPSIG(status);
	if (event != PTRACE_EVENT_STOP)
		fatal("internal error: task %d stopped (%#x) on its way into a group-stop",
		      t->tid, status);
	if (sig_is_stop(sig)) {
		ptrace(PTRACE_LISTEN, t->tid, 0, 0);
		t->kick = KICK_LISTEN;
		rec_job_stopped(r, t, sig);
		return true;
	}
	if (!t->parked) {
		/* A holder that kept its domain in the stop: SIGCONT. */
		rec_jobstop(r, t->proc, false);
		t->kick = KICK_NONE;
		rec_cont(t, 0);
		return true;
	}
	if (t->kick_gen != t->proc->stop_gen) {
		/* Out of a stop (SIGCONT), or found none pending, but a stop
		 * has begun since it was kicked (a sibling that had the domain
		 * first took a new stop signal; stops of different tasks reach
		 * us in any order): ask the kernel again, the same way. */
		t->kick = KICK_STOPPED;
		rec_kick(t);
		return true;
	}
	/* Out of the latest stop, or none pending: the stop is over. */
	rec_jobstop(r, t->proc, false);
	t->kick = KICK_STOPPED;
	rec_offer(r, t);
	return true;
}
