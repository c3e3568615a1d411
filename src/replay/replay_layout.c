/* replay_layout.c -- rebuild an address space the kernel laid out at
 * random when it was recorded.
 *
 * A setuid, setgid or file-capability exec turns ASLR back on (the kernel
 * clears ADDR_NO_RANDOMIZE, PER_CLEAR_ON_SETID, whatever scribe set).
 * Replay execs the trace's plain copy, which the kernel lays out without
 * randomization: the same mappings, of the same sizes and contents, at
 * other addresses.  So at the exec stop, before the program runs one
 * instruction, each mapping is moved (mremap keeps its pages, the bss the
 * loader zeroed included) to its recorded address, the stack too, and the
 * kernel's bounds the program can meet again (brk, which replay runs
 * again; the stack's) are set as recorded with PR_SET_MM_MAP, which needs
 * no privilege.  The calls are made in the task from a scribe page mapped
 * for the purpose (the first through a syscall instruction written for a
 * moment at its entry point) and unmapped after: the page proper comes
 * at the first syscall, as after any exec. */
#include "replay/replay_int.h"

#include <errno.h>
#include <linux/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "core/maps.h"
#include "core/page.h"
#include "core/ptrace.h"

/* Where on the temporary page the PR_SET_MM_MAP argument and the
 * auxiliary vector it points at go. */
#define MM_ARG  (SCRIBE_PAGE + 64)
#define MM_AUXV (SCRIBE_PAGE + 256)
#define MM_AUXV_MAX 1024

static const uint8_t syscall_insn[2] = { 0x0f, 0x05 };

/* A call made in t from the temporary page; -ESRCH if t died. */
static long call(struct task *t, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4)
{
	return pt_call_at(t->tid, &t->regs, SCRIBE_PAGE, nr, a0, a1, a2, a3, a4, 0);
}

/* Map the temporary page: its one syscall instruction is one the seccomp
 * filter lets through.  The first call goes through instructions put at
 * the task's entry point for the moment (pt_call_at_exec). */
static long map_page(struct replayer *r, struct task *t)
{
	long got = pt_call_at_exec(t->tid, t->proc->memfd, &t->regs, SYS_mmap, SCRIBE_PAGE,
	                           SCRIBE_PAGE_SIZE, PROT_READ | PROT_EXEC,
	                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
	                           (uint64_t)-1, 0);
	if (got == -ESRCH)
		return got;
	if (got == -EFAULT)
		rp_diverge(r, t, "cannot reach the entry point at %#llx to rebuild the recorded "
		           "layout", (unsigned long long)t->regs.rip);
	if (got != (long)SCRIBE_PAGE || task_write(t, SCRIBE_PAGE, syscall_insn, 2) < 0)
		rp_diverge(r, t, "cannot map a page at %#lx to rebuild the recorded layout: %s",
		           SCRIBE_PAGE, got < 0 ? strerror(-got) : "placed elsewhere");
	return 0;
}

static bool named(const char *name, size_t len, const char *what)
{
	return len == strlen(what) && !memcmp(name, what, len);
}

/* The kernel's own mappings, which go where the recording had them by
 * their names; [vsyscall] is at the same place in every process. */
static bool kernel_map(const char *name, size_t len)
{
	return named(name, len, "[vvar]") || named(name, len, "[vvar_vclock]") ||
	       named(name, len, "[vdso]");
}

static bool fixed_map(const char *name, size_t len)
{
	return named(name, len, "[stack]") || named(name, len, "[vsyscall]");
}

/* One mapping to move: from our exec's place to the recorded one. */
struct move {
	uint64_t from, len, to, to_len;
};

/* Pair each recorded mapping with ours: the kernel's by name, the rest in
 * address order (the program's image below its interpreter in both), each
 * pair the same size, protection, offset and kind (file or not), and none
 * of ours left over.  Returns the number of moves, or -1 with the name of
 * the mapping that has no pair in why. */
static int plan(const struct ev_exec *x, const struct map *cur, int n, struct move *mv,
                char why[256])
{
	int k = 0, c = 0;
	for (uint32_t i = 0; i < x->nmaps; i++) {
		const struct ev_mapping *m = &x->maps[i];
		const char *nm = (const char *)m->name.p;
		if (named(nm, m->name.len, "[vsyscall]"))
			continue;
		const struct map *o = NULL;
		if (kernel_map(nm, m->name.len) || named(nm, m->name.len, "[stack]")) {
			for (int j = 0; j < n && !o; j++)
				if (named(nm, m->name.len, cur[j].name))
					o = &cur[j];
		} else {
			while (c < n && (cur[c].start == SCRIBE_PAGE ||
			                 kernel_map(cur[c].name, strlen(cur[c].name)) ||
			                 fixed_map(cur[c].name, strlen(cur[c].name))))
				c++;
			o = c < n ? &cur[c++] : NULL;
			if (o && (o->end - o->start != m->end - m->start || o->offset != m->offset ||
			          (m->name.len == 0) != (o->name[0] == 0)))
				o = NULL;
		}
		if (!o || (o->prot | (o->shared ? 0x100 : 0)) != m->prot) {
			snprintf(why, 256, "%s%.*s mapped at %#llx",
			         m->name.len ? "" : "an anonymous mapping", (int)m->name.len, nm,
			         (unsigned long long)m->start);
			return -1;
		}
		mv[k++] = (struct move){ o->start, o->end - o->start, m->start, m->end - m->start };
	}
	for (; c < n; c++)
		if (cur[c].start != SCRIBE_PAGE && !kernel_map(cur[c].name, strlen(cur[c].name)) &&
		    !fixed_map(cur[c].name, strlen(cur[c].name))) {
			snprintf(why, 256, "nothing at %#llx (%s)", (unsigned long long)cur[c].start,
			         cur[c].name);
			return -1;
		}
	return k;
}

/* Would [to, to+len) land on a mapping other than the one moving? */
static bool collides(const struct move *mv, int k, int me)
{
	for (int j = 0; j < k; j++)
		if (j != me && mv[j].from < mv[me].to + mv[me].to_len &&
		    mv[me].to < mv[j].from + mv[j].len)
			return true;
	return false;
}

/* The auxiliary vector in the recorded initial stack (argc, argv, NULL,
 * envp, NULL, then type/value pairs to AT_NULL): its length in bytes, 0
 * if it cannot be found. */
static size_t recorded_auxv(const struct ev_exec *x, const uint8_t **at)
{
	const uint8_t *p = x->stack.p, *end = p + (x->stack.len & ~7ul);
	uint64_t w = 1;
	p += 8;                                   /* argc */
	for (int nulls = 0; nulls < 2 && p < end; p += 8) {
		memcpy(&w, p, 8);
		nulls += w == 0;
	}
	*at = p;
	for (; p + 16 <= end; p += 16) {
		memcpy(&w, p, 8);
		if (w == 0)                       /* AT_NULL */
			return (size_t)(p + 16 - *at);
	}
	return 0;
}

static void set_bounds(struct replayer *r, struct task *t, const struct ev_exec *x)
{
	struct prctl_mm_map mm = {
		.start_code = x->mm[MM_START_CODE], .end_code = x->mm[MM_END_CODE],
		.start_data = x->mm[MM_START_DATA], .end_data = x->mm[MM_END_DATA],
		.start_brk = x->mm[MM_START_BRK], .brk = x->mm[MM_BRK],
		.start_stack = x->mm[MM_START_STACK],
		.arg_start = x->mm[MM_ARG_START], .arg_end = x->mm[MM_ARG_END],
		.env_start = x->mm[MM_ENV_START], .env_end = x->mm[MM_ENV_END],
		.exe_fd = (uint32_t)-1,
	};
	/* The kernel's copy of auxv too (/proc/PID/auxv): the loader stub
	 * finds ld.so by its AT_BASE (loader.c). */
	const uint8_t *auxv;
	size_t auxv_len = recorded_auxv(x, &auxv);
	if (auxv_len && auxv_len <= MM_AUXV_MAX && task_write(t, MM_AUXV, auxv, auxv_len) == 0) {
		mm.auxv = (__u64 *)MM_AUXV;
		mm.auxv_size = auxv_len;
	}
	if (task_write(t, MM_ARG, &mm, sizeof(mm)) < 0)
		rp_diverge(r, t, "cannot write on the page that rebuilds the recorded layout");
	long rc = call(t, SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, MM_ARG, sizeof(mm), 0);
	if (rc < 0 && rc != -ESRCH)
		rp_diverge(r, t, "cannot set the recorded brk and stack bounds (prctl "
		           "PR_SET_MM_MAP: %s)", strerror((int)-rc));
}

bool rp_relayout(struct replayer *r, struct task *t, const struct ev_exec *x)
{
	if (x->nmm != MM_NFIELDS)
		rp_diverge(r, t, "the recording laid this program out at random but did not "
		           "say where its areas are (corrupt trace?)");
	struct map *cur;
	int n = maps_read(t->proc->pid, &cur);
	if (n < 0)
		fatal("cannot read the memory map of the replayed program");
	struct move *mv = xcalloc(x->nmaps + 1, sizeof(*mv));
	char why[256];
	int k = plan(x, cur, n, mv, why);
	free(cur);
	if (k < 0)
		rp_diverge(r, t, "expected %s after exec, as recorded at random addresses, but the "
		           "replayed program's mappings differ", why);
	if (map_page(r, t) == -ESRCH)
		goto died;
	for (int i = 0; i < k; i++) {
		if (mv[i].from == mv[i].to && mv[i].len == mv[i].to_len)
			continue;
		if (collides(mv, k, i))
			rp_diverge(r, t, "cannot move a mapping to its recorded address %#llx: our "
			           "exec put another there", (unsigned long long)mv[i].to);
		long got = call(t, SYS_mremap, mv[i].from, mv[i].len, mv[i].to_len,
		                MREMAP_MAYMOVE | MREMAP_FIXED, mv[i].to);
		if (got == -ESRCH)
			goto died;
		if (got != (long)mv[i].to)
			rp_diverge(r, t, "cannot move the mapping at %#llx to its recorded address "
			           "%#llx: %s", (unsigned long long)mv[i].from,
			           (unsigned long long)mv[i].to, got < 0 ? strerror(-got) : "moved elsewhere");
		mv[i].from = mv[i].to;
		mv[i].len = mv[i].to_len;
	}
	/* The stack below the recorded one is zero, as a fresh one is; rp_exec
	 * writes the recorded bytes above. */
	uint64_t lo = x->mm[MM_START_STACK];
	for (int i = 0; i < k; i++)
		if (mv[i].to <= x->stack_lo && x->stack_lo < mv[i].to + mv[i].to_len)
			lo = mv[i].to;
	if (lo < x->stack_lo) {
		void *zero = xcalloc(1, x->stack_lo - lo);
		task_write(t, lo, zero, x->stack_lo - lo);
		free(zero);
	}
	set_bounds(r, t, x);
	if (call(t, SYS_munmap, SCRIBE_PAGE, SCRIBE_PAGE_SIZE, 0, 0, 0) == -ESRCH)
		goto died;
	t->regs.rsp = x->stack_lo;     /* nothing of ours below it to clear */
	free(mv);
	return true;
died:
	free(mv);
	return false;
}
