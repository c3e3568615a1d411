/* replay_locate.c -- bring a task to a recorded full-state signature.
 *
 * A hardware breakpoint on the signature's instruction stops the task each
 * time it gets there.  At the first stop, if the memory that differs from
 * the signature is only the progress words the recorder saw move (a loop
 * counter, or nothing at all for a spin-wait), the recorded registers and
 * words are written in and the memory hash decides: equal registers and
 * equal memory are the recorded state itself, so nothing more needs to
 * run.  Otherwise each stop compares registers, and memory when they
 * match, until the state is found. */
#include "replay/replay_int.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "core/hwbp.h"
#include "core/memhash.h"
#include "core/ptrace.h"
#include "core/sig.h"

#define MAX_HITS 400000

/* Put the recorded registers and progress words in place if that makes the
 * memory match; otherwise leave everything as it was. */
static bool teleport(struct task *t, const struct user_regs_struct *cur,
                     const struct ev_sigstate *st)
{
	uint64_t saved[SIGST_MAX_WORDS];
	for (uint32_t i = 0; i < st->nwords; i++) {
		if (task_read(t, st->waddr[i], &saved[i], 8) != 8)
			return false;
		task_write(t, st->waddr[i], &st->wval[i], 8);
	}
	if (memhash(t->proc->pid, t->proc->memfd) == st->memhash) {
		struct user_regs_struct regs = st->regs;
		/* Keep the live RF/TF bits: they belong to this stop. */
		regs.eflags = (regs.eflags & ~0x10100ull) | (cur->eflags & 0x10100ull);
		pt_setregs(t->tid, &regs);
		return true;
	}
	for (uint32_t i = 0; i < st->nwords; i++)
		task_write(t, st->waddr[i], &saved[i], 8);
	return false;
}

void rp_locate(struct replayer *r, struct task *t, const struct event *ev, int sig)
{
	const struct ev_sigstate *st = ev->type == EV_PREEMPT ? &ev->pre.st : &ev->sig.st;
	if (hwbp_set(t->tid, st->regs.rip) < 0)
		fatal("%s", err_get());
	pt_cont(t->tid, sig);
	uint64_t hits = 0;
	for (;;) {
		int status = pt_wait(t->tid);
		if (!WIFSTOPPED(status))
			rp_diverge(r, t, "the task ended before reaching the point at ip %#llx where "
			           "it was %s when recording", (unsigned long long)st->regs.rip,
			           ev->type == EV_PREEMPT ? "preempted" : "signalled");
		siginfo_t si;
		pt_getsiginfo(t->tid, &si);
		if (WSTOPSIG(status) != SIGTRAP || (status >> 16) || !hwbp_hit(&si)) {
			hwbp_clear(t->tid);
			const char *what = (status >> 16) == PTRACE_EVENT_SECCOMP ? "a syscall" :
			                   sig_name(WSTOPSIG(status));
			rp_diverge(r, t, "expected the task to reach ip %#llx (where it was %s when "
			           "recording), got %s first", (unsigned long long)st->regs.rip,
			           ev->type == EV_PREEMPT ? "preempted" : "signalled", what);
		}
		struct user_regs_struct cur;
		pt_getregs(t->tid, &cur);
		hits++;
		if (regs_equal(&cur, &st->regs) &&
		    memhash(t->proc->pid, t->proc->memfd) == st->memhash)
			break;
		if (hits == 1 && teleport(t, &cur, st))
			break;
		if (hits >= MAX_HITS) {
			hwbp_clear(t->tid);
			fatal("replay could not find the recorded %s point of task %u at ip %#llx "
			      "after %d passes (a loop whose state does not progress linearly); "
			      "see docs/design.md, 'Async events without a PMU'",
			      ev->type == EV_PREEMPT ? "preemption" : "signal", t->rec_tid,
			      (unsigned long long)st->regs.rip, MAX_HITS);
		}
		pt_cont(t->tid, 0);
	}
	hwbp_clear(t->tid);
	if (ev->type == EV_PREEMPT) {
		rp_consume(r, t);
		domain_park(t->dom, t, SYNTH_RESUME);
		rp_advance(r, t->dom);
		return;
	}
	/* An asynchronous signal: deliver it here; its event is consumed at
	 * the delivery stop. */
	rp_send_signal(r, t, ev);
	pt_cont(t->tid, 0);
}
