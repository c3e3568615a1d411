/* record_preempt.c -- preemption and asynchronous signals in the middle of
 * user code, placed by full-state signatures (DESIGN section 5).
 *
 * A periodic tick looks for two situations: a task that has computed for a
 * whole slice (50 ms of CPU) without a syscall while a sibling waits for
 * its domain, and an asynchronous signal held for more than a few
 * milliseconds because its task makes no syscall.  The task is interrupted
 * and probed: a hardware breakpoint on the interrupted instruction catches
 * the next two passes through it.  If the loop there is a fixed point (a
 * spin-wait: same registers, same memory) or advances only a few registers
 * and memory words (a counter), that pass is recorded as the signature --
 * registers, memory hash, and the words that move -- and replay can find
 * or rebuild that exact state quickly.  Otherwise the task is doing real
 * work and is left to run another slice; after many such slices it is
 * preempted anyway, at a plain signature that replay finds by scanning. */
#include "record/record_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/hwbp.h"
#include "core/memhash.h"
#include "core/ptrace.h"

#define SLICE_NS      (50ull * 1000000)   /* CPU time before preemption */
#define HOLD_NS       (3ull * 1000000)    /* how long a signal waits for a syscall */
#define FORCE_HOLD_NS (200ull * 1000000)  /* then any signature will do */
#define HIT_WAIT_NS   (30ull * 1000000)   /* waiting for the loop to come round */
#define MAX_BUSY      20                  /* slices before forcing */
#define SNAP_MAX      (256ul << 20)
#define MAX_MOVING_REGS 4

uint64_t task_cpu_ns(pid_t tid)
{
	char path[64], buf[128];
	snprintf(path, sizeof(path), "/proc/%d/schedstat", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return strtoull(buf, NULL, 10);
}

void rec_tick(struct recorder *r)
{
	uint64_t now = mono_ns();
	for (struct task *t = self->t.tasks; t; t = t->next) {
		if (!t->user_running || t->preempting || t->dead)
			continue;
		bool contended = t->dom->holder == t && t->dom->waitq;
		if (t->held) {
			if (now - t->held_since < HOLD_NS)
				continue;
		} else if (contended) {
			uint64_t cpu = task_cpu_ns(t->tid);
			if (!t->slice_cpu0) {
				t->slice_cpu0 = cpu;
				continue;
			}
			if (cpu - t->slice_cpu0 < SLICE_NS)
				continue;
		} else {
			t->slice_cpu0 = 0;
			continue;
		}
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
			t->preempting = true;
	}
}

enum probe { PROBE_SIGNATURE, PROBE_BUSY, PROBE_STOP, PROBE_EXITED };

/* Resume and wait for the breakpoint; false with *status on anything else
 * (a timeout is turned into an interrupt stop). */
static bool next_hit(struct task *t, uint64_t ip, struct user_regs_struct *regs, int *status)
{
	pt_cont(t->tid, 0);
	if (!pt_wait_until(t->tid, mono_ns() + HIT_WAIT_NS, status)) {
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
		*status = pt_wait(t->tid);
		return false;
	}
	if (!WIFSTOPPED(*status) || WSTOPSIG(*status) != SIGTRAP || (*status >> 16))
		return false;
	siginfo_t si;
	pt_getsiginfo(t->tid, &si);
	pt_getregs(t->tid, regs);
	return hwbp_hit(&si) && regs->rip == ip;
}

static int moving_regs(const struct user_regs_struct *a, const struct user_regs_struct *b)
{
	const uint64_t x[] = { a->rax, a->rbx, a->rcx, a->rdx, a->rsi, a->rdi, a->rbp, a->rsp,
	                       a->r8, a->r9, a->r10, a->r11, a->r12, a->r13, a->r14, a->r15 };
	const uint64_t y[] = { b->rax, b->rbx, b->rcx, b->rdx, b->rsi, b->rdi, b->rbp, b->rsp,
	                       b->r8, b->r9, b->r10, b->r11, b->r12, b->r13, b->r14, b->r15 };
	int n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(x); i++)
		n += x[i] != y[i];
	return n;
}

static enum probe probe(struct task *t, struct ev_sigstate *st, bool force, int *status)
{
	memset(st, 0, sizeof(*st));
	struct user_regs_struct r0, r1, r2;
	pt_getregs(t->tid, &r0);
	if (force) {
		st->regs = r0;
		st->memhash = memhash(t->proc->pid, t->proc->memfd);
		return PROBE_SIGNATURE;
	}
	if (hwbp_set(t->tid, r0.rip) < 0)
		return PROBE_BUSY;
	enum probe res = PROBE_BUSY;
	struct memsnap s1 = {0}, s2 = {0};
	if (!next_hit(t, r0.rip, &r1, status))
		goto other;
	if (!memsnap_take(t->proc->pid, t->proc->memfd, &s1, SNAP_MAX))
		goto out;
	if (!next_hit(t, r0.rip, &r2, status))
		goto other;
	if (moving_regs(&r1, &r2) > MAX_MOVING_REGS ||
	    !memsnap_take(t->proc->pid, t->proc->memfd, &s2, SNAP_MAX))
		goto out;
	uint64_t addrs[SIGST_MAX_WORDS];
	int n = memsnap_diff(&s1, &s2, addrs, SIGST_MAX_WORDS);
	if (n < 0)
		goto out;
	st->regs = r2;
	st->memhash = memsnap_hash(&s2);
	st->nwords = n;
	for (int i = 0; i < n; i++) {
		st->waddr[i] = addrs[i];
		st->wval[i] = memsnap_word(&s2, addrs[i]);
	}
	res = PROBE_SIGNATURE;
	goto out;
other:
	if (WIFEXITED(*status) || WIFSIGNALED(*status))
		res = PROBE_EXITED;
	else if (WIFSTOPPED(*status) && (*status >> 16) == PTRACE_EVENT_STOP)
		res = PROBE_BUSY;        /* our timeout interrupt: no loop here */
	else
		res = PROBE_STOP;
out:
	hwbp_clear(t->tid);
	memsnap_free(&s1);
	memsnap_free(&s2);
	return res;
}

void rec_preempt_stop(struct recorder *r, struct task *t)
{
	t->preempting = false;
	uint64_t now = mono_ns();
	bool force = t->held ? now - t->held_since >= FORCE_HOLD_NS : t->busy_probes >= MAX_BUSY;
	uint64_t cpu0 = t->slice_cpu0;
	struct event ev = { .tid = t->rec_tid };
	struct ev_sigstate *st = t->held ? &ev.sig.st : &ev.pre.st;
	int status = 0;
	switch (probe(t, st, force, &status)) {
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
	if (t->held) {
		/* Deliver the held signal right here. */
		ev.type = EV_SIGNAL;
		ev.sig.signo = t->held_info.si_signo;
		ev.sig.kind = SIGK_AT_SIGNATURE;
		ev.sig.ip = st->regs.rip;
		ev.sig.info = (struct ev_bytes){ (const uint8_t *)&t->held_info, sizeof(t->held_info) };
		rec_emit(r, t, &ev);
		t->held = false;
		t->injecting = true;
		t->inject_info = t->held_info;
		syscall(SYS_tgkill, t->proc->pid, t->tid, t->held_info.si_signo);
		rec_cont(t, 0);
		return;
	}
	ev.type = EV_PREEMPT;
	rec_emit(r, t, &ev);
	domain_park(t->dom, t, SYNTH_RESUME);
	rec_release(r, t);
}
