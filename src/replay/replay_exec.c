/* replay_exec.c -- rebuild the recorded state right after an exec.
 *
 * Replay execs the trace's copy of the binary (whose PT_INTERP points at
 * the trace's copy of the dynamic loader) with the recorded argv and envp,
 * in the same conditions (no ASLR, same stack rlimit), so the kernel maps
 * everything at the recorded addresses (or, for an exec the recording had
 * at random addresses, replay_layout.c moves everything there); this is
 * checked.  Then the initial
 * stack is overwritten byte for byte with the recorded one (AT_RANDOM,
 * auxv, strings), the vDSO with the recorded image (its functions
 * rewritten to make syscalls, core/vdso.c), and the registers are set as
 * recorded. */
#include "replay/replay_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/maps.h"
#include "core/ptrace.h"

static void check_layout(struct replayer *r, struct task *t, const struct ev_exec *x)
{
	struct map *maps;
	int n = maps_read(t->proc->pid, &maps);
	if (n < 0)
		fatal("cannot read the memory map of the replayed program");
	for (uint32_t i = 0; i < x->nmaps; i++) {
		const struct ev_mapping *m = &x->maps[i];
		if (m->name.len == 7 && !memcmp(m->name.p, "[stack]", 7))
			continue;     /* starts wherever the argument strings end */
		bool found = false;
		for (int k = 0; k < n && !found; k++)
			found = maps[k].start == m->start && maps[k].end == m->end &&
			        (maps[k].prot | (maps[k].shared ? 0x100 : 0)) == m->prot;
		if (!found)
			rp_diverge(r, t, "expected %.*s mapped at %#llx-%#llx after exec, but the "
			           "replayed program's memory layout differs", (int)m->name.len,
			           (const char *)m->name.p, (unsigned long long)m->start,
			           (unsigned long long)m->end);
	}
	free(maps);
}

/* Write the recorded vDSO image back over ours (check_layout found a
 * [vdso] where the recording had it), if the recording had one: an image
 * that is not exactly the recorded [vdso] mapping is a corrupt trace,
 * never written over whatever follows. */
static void restore_vdso(struct replayer *r, struct task *t, const struct ev_exec *x)
{
	if (!x->vdso.len)
		return;
	bool fits = false;
	for (uint32_t i = 0; i < x->nmaps && !fits; i++)
		fits = x->maps[i].name.len == 6 && !memcmp(x->maps[i].name.p, "[vdso]", 6) &&
		       x->maps[i].start == x->vdso_addr &&
		       x->maps[i].end - x->maps[i].start == x->vdso.len;
	if (!fits)
		rp_diverge(r, t, "the recorded vDSO image is not the recorded [vdso] mapping "
		           "(corrupt trace?)");
	if (task_write(t, x->vdso_addr, x->vdso.p, x->vdso.len) < 0)
		rp_diverge(r, t, "cannot restore the recorded vDSO at %#llx",
		           (unsigned long long)x->vdso_addr);
}

/* Our exec's argument strings and environment differ from the recorded
 * ones by the length of the paths at most (the image is the trace's
 * copy), never by this much. */
#define MAX_ARG_GAP (1ul << 20)

void rp_exec(struct replayer *r, struct task *t)
{
	struct process *p = t->proc;
	const struct event *ev = rp_peek(r, t, 0);
	if (!ev)
		rp_trace_ended(r, t, "an exec");
	if (ev->type != EV_EXEC || ev->tid != t->rec_tid) {
		char want[256];
		rp_describe(ev, want, sizeof(want));
		rp_diverge(r, t, "expected %s, got an exec", want);
	}
	const struct ev_exec *x = &ev->exec;
	t->rx = RX_NONE;
	p->execed = true;
	p->need_page = true;
	t->sb = 0;                 /* the new image has no slot yet */
	t->sb_loaded = false;
	p->nmapfds = 0;            /* they were close-on-exec */
	proc_reopen_mem(p);
	if (r->ctl)
		rp_dbg_task(r, t, true);     /* exec dropped the debug registers */
	if (!pt_getregs(t->tid, &t->regs))
		return;    /* SIGKILLed on the way (a failing replay's cleanup): its
		              death shows at its next wait; no registers to use */
	if ((x->layout & EXEC_LAYOUT_RANDOM) && !rp_relayout(r, t, x))
		return;    /* SIGKILLed on the way, as above */
	check_layout(r, t, x);
	restore_vdso(r, t, x);

	if (x->interp_addr &&
	    task_write(t, x->interp_addr, x->interp_orig.p, x->interp_orig.len) < 0)
		rp_diverge(r, t, "cannot restore the program's PT_INTERP at %#llx",
		           (unsigned long long)x->interp_addr);
	/* Our exec's own argument strings may reach below the recorded stack
	 * pointer: clear them so memory matches the recording. */
	uint64_t lo = t->regs.rsp;
	if (lo < x->stack_lo) {
		size_t n = x->stack_lo - lo;
		if (n > MAX_ARG_GAP)
			rp_diverge(r, t, "the stack pointer after exec is %zu bytes below the recorded "
			           "one (corrupt trace?)", n);
		void *zero = xcalloc(1, n);
		task_write(t, lo, zero, n);
		free(zero);
	}
	if (task_write(t, x->stack_lo, x->stack.p, x->stack.len) < 0)
		rp_diverge(r, t, "cannot restore the initial stack at %#llx",
		           (unsigned long long)x->stack_lo);
	pt_setregs(t->tid, &x->regs);
	if (!pt_fault_cpuid_at_exec(t->tid, p->memfd, &x->regs))
		return;
	rp_consume(r, t);
	rp_resume(r, t);
}

/* What to exec for an exec event, relative to the objects directory (the
 * task's working directory) or absolute (see files_image); a trace that
 * cannot give it stops the replay. */
char *rp_image(struct replayer *r, const struct ev_exec *x)
{
	char image[40];
	if (x->image.len < 1 || x->image.len >= sizeof(image) ||
	    memchr(x->image.p, '/', x->image.len))
		fatal("bad image name in an exec event (corrupt trace)");
	memcpy(image, x->image.p, x->image.len);
	image[x->image.len] = 0;
	char *path = files_image(r->files, image, x->exe_hash, x->interp_hash);
	if (!path)
		fatal("%s", err_get());
	return path;
}

/* An execve that succeeded when recorded: exec the trace's image of what
 * was executed (its argv and envp are in the task's memory as they were),
 * then rp_exec rebuilds the recorded state. */
void rp_exec_call(struct replayer *r, struct task *t, const struct event *ev)
{
	const struct event *x = rp_peek(r, t, 1);
	if (!x || x->type != EV_EXEC || x->tid != t->rec_tid)
		rp_diverge(r, t, "the trace has an execve without its exec event (corrupt trace)");
	char *path = rp_image(r, &x->exec);
	int n = strlen(path);
	/* The old image is about to go: scratch space below the stack is fine. */
	uint64_t scratch = (t->regs.rsp - 1024 - n - 1) & ~15ull;
	if (task_write(t, scratch, path, n + 1) < 0)
		rp_diverge(r, t, "cannot reach the stack to exec the program");
	free(path);
	struct user_regs_struct regs = t->regs;
	if (ev->sys.nr == SYS_execveat) {
		regs.rdi = (uint64_t)AT_FDCWD;
		regs.rsi = scratch;
		regs.r8 = 0;
	} else {
		regs.rdi = scratch;
	}
	pt_setregs(t->tid, &regs);
	rp_consume(r, t);
	t->rx = RX_EXEC;
	pt_run_call(t->tid);
}
