/* replay_locate.c -- bring a task to a recorded full-state signature.
 *
 * A snapshot signature is restored directly: every page of writable memory
 * that differs is written, pages that were zero are cleared, the register
 * file (general and XSAVE state) is set, and the memory hash confirms it.
 * The slice of computation that led there is not run at all: it made no
 * traced syscall, so its only effects are that memory, those registers,
 * and what the buffered calls it made did to the kernel, which
 * rp_sb_reapply does again.  A fixed point (a spin-wait) is reached by
 * running the task to a hardware breakpoint on its instruction until
 * registers and memory match, which is the first pass. */
#include "replay/replay_int.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "core/hwbp.h"
#include "core/memhash.h"
#include "core/ptrace.h"
#include "core/sig.h"

#define MAX_HITS 400000

static void restore_snapshot(struct replayer *r, struct task *t, const struct ev_sigstate *st)
{
	static const uint8_t zero[4096];
	struct memsnap cur;
	if (!memsnap_take(t->proc->pid, t->proc->memfd, &cur, SIZE_MAX))
		rp_diverge(r, t, "cannot read the task's memory to restore a preemption point");
	size_t i = 0, j = 0;
	while (i < st->npages || j < cur.npages) {
		uint64_t a = i < st->npages ? st->pages[i].addr : UINT64_MAX;
		uint64_t b = j < cur.npages ? cur.addr[j] : UINT64_MAX;
		uint64_t addr = MIN(a, b);
		const uint8_t *want = a == addr ? st->pages[i++].data : zero;
		const uint8_t *have = b == addr ? cur.data + j++ * 4096 : zero;
		if (memcmp(want, have, 4096) && task_write(t, addr, want, 4096) < 0)
			rp_diverge(r, t, "cannot restore the page at %#llx of a preemption point "
			           "(it is not mapped here)", (unsigned long long)addr);
	}
	memsnap_free(&cur);
	struct user_regs_struct regs = st->regs;
	regs.orig_rax = -1;
	pt_setregs(t->tid, &regs);
	pt_setxstate(t->tid, st->xstate.p, st->xstate.len);
	if (memhash(t->proc->pid, t->proc->memfd) != st->memhash)
		rp_diverge(r, t, "the memory restored at the preemption point at ip %#llx does not "
		           "hash as recorded", (unsigned long long)st->regs.rip);
}

/* Only the pages written since the process's previous snapshot (contiguous
 * ones in one write): the rest of memory is as the recording had it
 * already, since replay matched it at every event up to here.  A page
 * that cannot be written is a divergence. */
static void restore_delta(struct replayer *r, struct task *t, const struct ev_sigstate *st)
{
	for (uint32_t i = 0; i < st->npages;) {
		uint32_t run = 1;
		while (i + run < st->npages && st->pages[i + run].addr == st->pages[i].addr + run * 4096ull &&
		       st->pages[i + run].data == st->pages[i].data + run * 4096ull)
			run++;
		if (task_write(t, st->pages[i].addr, st->pages[i].data, run * 4096ul) < 0)
			rp_diverge(r, t, "cannot restore the page at %#llx of a preemption point "
			           "(it is not mapped here)", (unsigned long long)st->pages[i].addr);
		i += run;
	}
	struct user_regs_struct regs = st->regs;
	regs.orig_rax = -1;
	pt_setregs(t->tid, &regs);
	pt_setxstate(t->tid, st->xstate.p, st->xstate.len);
}

/* Deliver a pending signal first: the kernel builds its frame and enters
 * the handler, which is where the recorded slice began. */
static void enter_handler(struct replayer *r, struct task *t, int sig)
{
	if (!sig)
		return;
	/* (with no filter, a syscall on the way must stop, not run) */
	if (ptrace(pt_sysemu() ? PTRACE_SYSEMU_SINGLESTEP : PTRACE_SINGLESTEP, t->tid, 0,
	           (long)sig) < 0)
		rp_diverge(r, t, "cannot deliver %s before a preemption point", sig_name(sig));
	int st = pt_wait(t->tid);
	if (!WIFSTOPPED(st))
		rp_diverge(r, t, "the task died taking %s", sig_name(sig));
}

static void run_to_fixed_point(struct replayer *r, struct task *t, const struct event *ev,
                               const struct ev_sigstate *st, int sig)
{
	if (hwbp_set(t->tid, st->regs.rip) < 0)
		fatal("%s", err_get());
	pt_cont(t->tid, sig);
	/* A pass that finds the registers but the same wrong memory as the
	 * pass before is a state the task can only repeat: nothing else of
	 * its domain runs meanwhile.  Held for a while, the trace asks for a
	 * state this replay cannot reach (a damaged trace), not for more
	 * passes. */
	uint64_t last = 0, since = 0;
	for (uint64_t hits = 0;;) {
		int status = pt_wait(t->tid);
		if (!WIFSTOPPED(status))
			rp_diverge(r, t, "the task ended before reaching the point at ip %#llx where "
			           "it was %s when recording", (unsigned long long)st->regs.rip,
			           ev->type == EV_PREEMPT ? "preempted" : "signalled");
		if (rp_drop_outside_signal(t, status) || rp_page_call(t, status))
			continue;
		siginfo_t si;
		pt_getsiginfo(t->tid, &si);
		if (WSTOPSIG(status) == SIGTRAP && !(status >> 16) &&
		    ((hwbp_hit(&si) && !hwbp_hit_engine(t->tid, &si)) || si.si_code == 2)) {
			/* a debugger's breakpoint, watchpoint or single step
			 * (replay_debug.c) inside the slice: not reported
			 * here, the slice is the engine's to place */
			pt_cont(t->tid, 0);
			continue;
		}
		if (WSTOPSIG(status) != SIGTRAP || (status >> 16) || !hwbp_hit(&si)) {
			hwbp_clear(t->tid);
			const char *what = rp_entry_stop(t->tid, status) ? "a syscall" :
			                   sig_name(WSTOPSIG(status));
			rp_diverge(r, t, "expected the task to reach ip %#llx (where it was %s when "
			           "recording), got %s first", (unsigned long long)st->regs.rip,
			           ev->type == EV_PREEMPT ? "preempted" : "signalled", what);
		}
		struct user_regs_struct cur;
		pt_getregs(t->tid, &cur);
		if (regs_equal(&cur, &st->regs)) {
			uint64_t h = memhash(t->proc->pid, t->proc->memfd);
			if (h == st->memhash)
				break;
			if (h != last || !since)
				since = mono_ns();
			last = h;
			if (mono_ns() - since > 2000000000ull) {
				hwbp_clear(t->tid);
				rp_diverge(r, t, "the spin loop recorded at ip %#llx stays at memory "
				           "%016llx here, recorded %016llx", (unsigned long long)st->regs.rip,
				           (unsigned long long)h, (unsigned long long)st->memhash);
			}
		}
		if (++hits >= MAX_HITS) {
			hwbp_clear(t->tid);
			rp_diverge(r, t, "could not find the spin loop state recorded at ip %#llx "
			           "after %d passes", (unsigned long long)st->regs.rip, MAX_HITS);
		}
		pt_cont(t->tid, 0);
	}
	hwbp_clear(t->tid);
}

void rp_locate(struct replayer *r, struct task *t, const struct event *ev, int sig)
{
	const struct ev_sigstate *st = ev->type == EV_PREEMPT ? &ev->pre.st : &ev->sig.st;
	uint64_t t0 = mono_ns();
	if (st->kind != SIGST_FIXED) {
		enter_handler(r, t, sig);
		rp_sb_reapply(r, t);
		if (st->kind == SIGST_DELTA)
			restore_delta(r, t, st);
		else
			restore_snapshot(r, t, st);
		rp_sb_discard(t);
	} else {
		run_to_fixed_point(r, t, ev, st, sig);
		rp_sb_settle(r, t);
	}
	pthread_mutex_lock(&r->out_mu);
	r->place_ns = xrealloc(r->place_ns, (r->nplace + 1) * sizeof(*r->place_ns));
	r->place_ns[r->nplace++] = mono_ns() - t0;
	if (st->kind != SIGST_FIXED) {
		r->nsnap++;
		r->snap_bytes += (uint64_t)st->npages * 4096;
	} else {
		r->nfixed++;
	}
	if (ev->type == EV_PREEMPT)
		r->npreempt++;
	else
		r->nasync++;
	pthread_mutex_unlock(&r->out_mu);
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
