/* record_preempt.c -- preemption and asynchronous signals in the middle of
 * user code, placed by full-state signatures (DESIGN section 5).
 *
 * A periodic tick looks for two situations: a task that has computed for a
 * whole slice (50 ms of CPU) without a syscall while a sibling waits for
 * its domain, and an asynchronous signal held for more than a few
 * milliseconds because its task makes no syscall.  The task is interrupted
 * and probed: a hardware breakpoint on the interrupted instruction catches
 * the next two passes through it.  If both passes have the same registers
 * and the same memory, the task is spinning at a fixed point and that is
 * the whole signature: replay runs to the first pass.  Otherwise the
 * signature carries the task's state -- full register file and every
 * non-zero page of writable memory -- which replay restores without
 * re-running the slice.  Where the kernel tracks writes (core/dirty.h),
 * the snapshot holds only the pages written since the process's previous
 * snapshot, so its cost follows the work done, not the size of the heap.
 * A task whose state is too large to snapshot is left to run to its next
 * syscall for a while before it is taken anyway. */
#include "record/record_int.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/dirty.h"
#include "core/hwbp.h"
#include "core/memhash.h"
#include "core/sig.h"
#include "core/slot.h"
#include "core/ptrace.h"

#define SLICE_NS      (50ull * 1000000)   /* CPU time before preemption */
#define HOLD_NS       (3ull * 1000000)    /* how long a signal waits for a syscall */
#define FORCE_HOLD_NS (200ull * 1000000)  /* then any signature will do */
#define HIT_WAIT_NS   (30ull * 1000000)   /* waiting for the loop to come round */
#define MAX_BUSY      20                  /* slices before forcing */
#define SNAP_SOFT_MAX (64ul << 20)       /* snapshot size before waiting */
#define SNAP_HARD_MAX (4ul << 30)
#define XSTATE_MAX    16384

/* SCRIBE_TEST_HOLD_FOREVER=1 (tests/cases/record-watchdog-starved.sh): a
 * signal held for a signature is never let in, as when the interrupts
 * meant to place it were all lost: the watchdog must end the recording. */
static bool test_hold_forever(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("SCRIBE_TEST_HOLD_FOREVER") != NULL;
	return on;
}

uint64_t task_cpu_ns(pid_t tid)
{
	char buf[128];
	return strtoull(proc_text(buf, sizeof(buf), "/proc/%d/schedstat", tid), NULL, 10);
}

void rec_tick(struct recorder *r)
{
	rec_watch_tick(r);
	uint64_t now = mono_ns();
	for (struct task *t = self->t.tasks; t; t = t->next) {
		if (!t->user_running || t->preempting || t->dead || t->injecting)
			continue;
		bool contended;
		rec_holds(r, t, &contended);
		if (t->held) {
			if (now - t->held_since < HOLD_NS || test_hold_forever())
				continue;
		} else if (contended) {
			uint64_t cpu = task_cpu_ns(t->tid);
			if (!t->slice_cpu0) {
				t->slice_cpu0 = cpu;
				if (r->opts->chaos)
					t->chaos_slice_ns = rec_chaos_slice_ns(r);
				continue;
			}
			if (cpu - t->slice_cpu0 < (r->opts->chaos ? t->chaos_slice_ns : SLICE_NS))
				continue;
		} else {
			t->slice_cpu0 = 0;
			continue;
		}
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
			t->preempting = true;
	}
}

/* The interrupt is not the only stop in user code: a signal's delivery
 * stop is one too, and it takes the interrupt's place.  The kernel clears
 * a pending PTRACE_INTERRUPT at any ptrace stop the task reaches first
 * (the interrupt's own stop comes only if it was sent while the task was
 * stopped already).  A periodic timer whose expiries fall just before the
 * tick (the same clock: a 5 ms timer against the 10 ms tick) had every
 * interrupt taken so, its signals held for good, the program waiting for
 * them (timer_create: one recording in 300 hung).  So a task stopped by
 * another signal while one waits for a signature is probed right there.
 * A signal stop during that probe may do the same, a few levels deep at
 * most; past that the tick asks again. */
bool rec_preempt_here(struct recorder *r, struct task *t)
{
	if (!t->held || t->injecting || mono_ns() - t->held_since < HOLD_NS ||
	    self->preempt_nest >= 3 || test_hold_forever())
		return false;
	self->preempt_nest++;           /* (t may be gone after the call) */
	rec_preempt_stop(r, t);
	self->preempt_nest--;
	return true;
}

enum probe { PROBE_SIGNATURE, PROBE_BUSY, PROBE_STOP, PROBE_EXITED, PROBE_FAILED };

/* SCRIBE_TEST_PROBE_RACE=1 (tests/cases/probe-timeout.serial.sh): every
 * probe's wait runs out, after the task has had 10 ms to reach the
 * breakpoint, as on a machine so loaded that the task got its CPU only
 * between the deadline and the interrupt. */
static bool test_probe_race(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("SCRIBE_TEST_PROBE_RACE") != NULL;
	return on;
}

static bool at_breakpoint(struct task *t, int status)
{
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP || (status >> 16))
		return false;
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	return hwbp_hit(&si);
}

/* Resume and wait for the breakpoint; false with *status on anything else
 * (a timeout is turned into an interrupt stop). */
static bool next_hit(struct task *t, uint64_t ip, struct user_regs_struct *regs, int *status)
{
	pt_cont(t->tid, 0);
	bool in_time;
	if (test_probe_race()) {
		struct timespec ts = { 0, 10 * 1000000 };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		in_time = false;
	} else {
		in_time = pt_wait_until(t->tid, mono_ns() + HIT_WAIT_NS, status);
	}
	if (!in_time) {
		bool sent = ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0;
		*status = pt_wait(t->tid);
		/* It reached the breakpoint between the deadline and the
		 * interrupt (a loaded machine): that trap is scribe's, and was
		 * delivered to the program (Go died of SIGTRAP in its spin
		 * loop).  Dropped; the interrupt stops it at once if it is
		 * still due -- the trap took it if it came first, and then the
		 * next stop is the breakpoint's again, which the caller gets
		 * as a stop of the task's own (rec_signal_stop drops it). */
		if (sent && at_breakpoint(t, *status)) {
			pt_cont(t->tid, 0);
			*status = pt_wait(t->tid);
		}
		return false;
	}
	if (!at_breakpoint(t, *status))
		return false;
	pt_getregs(t->tid, regs);
	return regs->rip == ip;
}

/* The process's tracker of written pages, started now if it can be.  A
 * process sharing its address space (vfork, CLONE_VM) is left out: the
 * pages belong to both.  False, with the status in *stop, when a stop of
 * the task's own (SIGSTOP, death) came first. */
static bool tracker(struct recorder *r, struct task *t, int *stop)
{
	struct process *p = t->proc;
	*stop = 0;
	if (p->dirty || p->dirty_off || p->vm_shared)
		return true;
	struct user_regs_struct regs;
	if (!pt_getregs(t->tid, &regs))
		return true;                /* SIGKILLed: its death comes next */
	p->dirty = dirty_start(p->pid, t->tid, &regs, stop);
	if (*stop)
		return false;
	if (!p->dirty && pt_gone(t->tid))
		return true;                /* SIGKILLed meanwhile */
	if (!p->dirty) {
		p->dirty_off = true;
		rec_warn_once(r, "dirty", "cannot track the pages a program writes (%s): each "
		              "preemption snapshot holds all of its memory", err_get());
	}
	return true;
}

bool rec_dirty_baseline(struct recorder *r, struct task *t, int *stop)
{
	/* Only while nothing else can write the memory behind the
	 * recording's back: no other thread whose call could complete
	 * (its memory effects are replayed at its own event, later), no
	 * memory shared with another process. */
	struct process *p = t->proc;
	*stop = 0;
	if (p->dirty || p->ntasks != 2 || p->has_shared || p->has_shared_ro)
		return true;
	if (!tracker(r, t, stop))
		return false;
	if (p->dirty && dirty_collect(p->dirty) >= 0)
		dirty_clear(p->dirty);
	return true;
}

static bool delta_snapshot(struct task *t, struct dirty *d, struct memsnap *snap, size_t max)
{
	size_t n;
	const uint64_t *pages = dirty_pages(d, &n);
	return memsnap_pages(t->proc->pid, t->proc->memfd, pages, n, snap, max);
}

/* Fill a snapshot signature from the task stopped here; the pages stay
 * owned by *snap until the event is written.  Only the pages written
 * since the process's previous snapshot, when they are known. */
static bool take_snapshot(struct task *t, struct ev_sigstate *st, struct memsnap *snap,
                          uint8_t *xstate, size_t max)
{
	pt_getregs(t->tid, &st->regs);
	long xl = pt_getxstate(t->tid, xstate, XSTATE_MAX);
	if (xl < 0)
		return false;
	struct dirty *d = t->proc->dirty;
	if (d && dirty_collect(d) >= 0 && delta_snapshot(t, d, snap, max)) {
		st->kind = SIGST_DELTA;
	} else if (memsnap_take(t->proc->pid, t->proc->memfd, snap, max)) {
		st->kind = SIGST_SNAPSHOT;
	} else {
		return false;
	}
	st->xstate = (struct ev_bytes){ xstate, (size_t)xl };
	st->memhash = memsnap_hash(snap);
	st->npages = snap->npages;
	st->pages = xcalloc(snap->npages ? snap->npages : 1, sizeof(*st->pages));
	for (size_t i = 0; i < snap->npages; i++)
		st->pages[i] = (struct ev_page){ snap->addr[i], snap->data + i * 4096 };
	return true;
}

/* Calls the task's syscall buffer holds (they change on every buffered
 * call until the next flush). */
static uint32_t buffered(struct task *t)
{
	struct sb_hdr h;
	return slot_header(t, &h) ? h.nrec : 0;
}

static bool interrupted(int status)
{
	return WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_STOP;
}

static enum probe probe(struct task *t, struct ev_sigstate *st, struct memsnap *snap,
                        uint8_t *xstate, bool force, int *status)
{
	memset(st, 0, sizeof(*st));
	struct user_regs_struct r0, r1, r2;
	pt_getregs(t->tid, &r0);
	if (!force && hwbp_set(t->tid, r0.rip) == 0) {
		bool h = next_hit(t, r0.rip, &r1, status);
		struct dirty *d = t->proc->dirty;
		/* Memory unchanged between the two passes: no page written
		 * in between, where writes are tracked; else equal hashes. */
		bool tracked = h && d && dirty_collect(d) >= 0;
		uint64_t m1 = h && !tracked ? memhash(t->proc->pid, t->proc->memfd) : 0;
		uint32_t b1 = h ? buffered(t) : 0;
		h = h && next_hit(t, r0.rip, &r2, status);
		hwbp_clear(t->tid);
		if (!h && !interrupted(*status))
			return WIFEXITED(*status) || WIFSIGNALED(*status) ? PROBE_EXITED : PROBE_STOP;
		/* A loop that makes buffered calls changes only the slot, which
		 * the hash leaves out: not a fixed point (replay could not tell
		 * its passes apart). */
		if (h && regs_equal(&r1, &r2) && buffered(t) == b1 &&
		    (tracked ? dirty_collect(d) == 0 : memhash(t->proc->pid, t->proc->memfd) == m1)) {
			st->kind = SIGST_FIXED;      /* spinning in place */
			st->regs = r2;
			st->memhash = tracked ? memhash(t->proc->pid, t->proc->memfd) : m1;
			return PROBE_SIGNATURE;
		}
	}
	if (take_snapshot(t, st, snap, xstate, force ? SNAP_HARD_MAX : SNAP_SOFT_MAX))
		return PROBE_SIGNATURE;
	memsnap_free(snap);
	return force ? PROBE_FAILED : PROBE_BUSY;
}

/* A snapshot is in the trace: replay has all memory as it is now once it
 * restores it, so the next one needs only what is written from here. */
static void snapshot_written(struct task *t, const struct ev_sigstate *st)
{
	if (st->kind != SIGST_FIXED && t->proc->dirty)
		dirty_clear(t->proc->dirty);
}

void rec_preempt_stop(struct recorder *r, struct task *t)
{
	t->preempting = false;
	if (t->injecting) {
		/* A signal scribe let in is on its way (our tgkill, not taken
		 * yet: the interrupt's stop comes first).  Nothing goes in
		 * before it: a second injection took its siginfo, and the
		 * first one's tgkill reached the handler as a plain SI_TKILL
		 * from scribe (timer_create printed "1 ticks with a wrong
		 * si_value or si_code" in 2 recordings of 770). */
		rec_cont(t, 0);
		return;
	}
	if (slot_in_call(t)) {
		/* In the preload library: try again at the next tick (a held
		 * signal is asked for at the end of the call anyway). */
		rec_cont(t, 0);
		return;
	}
	if (!rec_held_now_blocked(t))   /* then it is a plain preemption */
		rec_held_stop_cancelled(t);
	uint64_t now = mono_ns();
	bool force = t->held ? now - t->held_since >= FORCE_HOLD_NS : t->busy_probes >= MAX_BUSY;
	int status = 0;
	if (!tracker(r, t, &status)) {
		rec_handle_stop(r, t, status);
		return;
	}
	uint64_t cpu0 = t->slice_cpu0;
	struct event ev = { .tid = t->rec_tid };
	/* A held stop signal is let in at a preemption point: the task lets
	 * its domain go in the group-stop (record_jobctl.c). */
	bool stop = t->held && sig_is_stop(t->held_info.si_signo);
	struct ev_sigstate *st = t->held && !stop ? &ev.sig.st : &ev.pre.st;
	struct memsnap snap = {0};
	/* Not static: tracer threads preempt their domains at the same time. */
	uint8_t xstate[XSTATE_MAX];
	switch (probe(t, st, &snap, xstate, force, &status)) {
	case PROBE_FAILED:
		fatal("cannot snapshot task %d to preempt it: %s", t->tid, strerror(errno));
	case PROBE_BUSY:
		t->busy_probes++;
		t->slice_cpu0 = 0;
		rec_cont(t, 0);
		return;
	case PROBE_STOP:
		rec_handle_stop(r, t, status);
		return;
	case PROBE_EXITED:
		rec_task_exited(r, t, status);
		return;
	case PROBE_SIGNATURE:
		break;
	}
	uint64_t cpu = task_cpu_ns(t->tid);
	st->cpu_ns = cpu0 && cpu > cpu0 ? cpu - cpu0 : 0;
	t->busy_probes = 0;
	t->slice_cpu0 = 0;
	rec_sb_flush(r, t);
	if (t->held) {
		/* Deliver the held signal right here. */
		if (stop) {
			ev.type = EV_PREEMPT;
			t->stop_exact = true;
		} else {
			ev.type = EV_SIGNAL;
			ev.sig.signo = t->held_info.si_signo;
			ev.sig.kind = SIGK_AT_SIGNATURE;
			ev.sig.ip = st->regs.rip;
			ev.sig.info = (struct ev_bytes){ (const uint8_t *)&t->held_info,
			                                 sizeof(t->held_info) };
		}
		rec_emit(r, t, &ev);
		snapshot_written(t, st);
		free(st->pages);
		memsnap_free(&snap);
		t->injecting = true;
		t->inject_info = t->held_info;
		rec_held_pop(t);
		syscall(SYS_tgkill, t->proc->pid, t->tid, t->inject_info.si_signo);
		rec_cont(t, 0);
		return;
	}
	ev.type = EV_PREEMPT;
	rec_emit(r, t, &ev);
	snapshot_written(t, st);
	free(st->pages);
	memsnap_free(&snap);
	if (r->opts->chaos)
		rec_chaos_reprio(r, t);
	rec_park_release(r, t, SYNTH_RESUME);
}
