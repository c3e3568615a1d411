/* record_late.c -- calls whose result is collected at the next stop.
 *
 * A traced call normally costs two stops: its seccomp stop and its exit
 * stop, where the recorder reads the result.  Most calls a program makes
 * before main -- the loader's mmap, mprotect, munmap, close, openat,
 * access, brk, arch_prctl, set_tid_address, set_robust_list, 40-60 of
 * them in every process of a build -- give nothing but their result.  For
 * those the recorder skips the exit stop: at the seccomp stop it points
 * the task's return address at two instructions on the scribe page,
 * "wrgsbase %rax; jmp *%rcx", and lets the call run.  The kernel returns
 * there (rcx holds the real return address, as the syscall instruction
 * left it; r11 the flags), the result goes into the task's GS base, and
 * the program goes on.  At the task's next stop, whatever it is, the
 * recorder takes the result from the GS base, puts the GS base back and
 * emits the call's event before anything else.
 *
 * Why this is exact:
 *  - only calls the syscall table marks SC_LATE: they write no memory, so
 *    nothing can change between the call and the stop that reads it;
 *  - the task keeps its domain until that stop, as for any user code, so
 *    no sibling runs in between; an open that may wait for a sibling (a
 *    FIFO, a device) takes the usual path, as do shared mappings, which
 *    may join domains;
 *  - only while the task's GS base is 0: x86-64 Linux programs do not use
 *    GS unless they set a base of their own;
 *  - a stop that finds the task still on the two instructions (a signal or
 *    an interrupt right at the return) sees the result in rax and the
 *    return address in rcx, and moves the task to the return address, as
 *    the exit stop would have left it.  A restart code (an open of a slow
 *    file interrupted by a signal) is seen there too: the kernel rewinds
 *    from the real return address once the stop is over, as usual;
 *  - replay never sees any of it: the trace holds the same events.
 *
 * It needs the FSGSBASE instructions (Linux 5.9+, HWCAP2_FSGSBASE); without
 * them, or with SCRIBE_NO_LATE=1, every call has its exit stop. */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "core/page.h"
#include "record/record_int.h"
#include "syscalls/table.h"

#define HWCAP2_FSGSBASE_BIT (1ul << 1)

static bool late_supported(void)
{
	static int state;           /* 0 unknown, 1 yes, 2 no; set once, racily */
	if (!state)
		state = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE_BIT) && !getenv("SCRIBE_NO_LATE")
		        ? 1 : 2;
	return state == 1;
}

/* Does the open of this path wait for nothing (a regular file or a
 * directory: not a FIFO or a device that may block until a sibling acts)?
 * Looked up as the task sees it, through /proc. */
static bool opens_at_once(const struct task *t)
{
	const struct ev_syscall *s = &t->ev.sys;
	const struct ev_bytes *pb = &s->strings[0];
	if (!pb->len || pb->len >= PATH_MAX - 64)
		return false;
	const char *path = (const char *)t->cap.p + (uintptr_t)pb->p;
	char where[PATH_MAX];
	int dirfd = s->nr == SYS_openat ? (int)s->args[0] : AT_FDCWD;
	if (path[0] == '/')
		snprintf(where, sizeof(where), "/proc/%d/root%.*s", t->tid, (int)pb->len, path);
	else if (dirfd == AT_FDCWD)
		snprintf(where, sizeof(where), "/proc/%d/cwd/%.*s", t->tid, (int)pb->len, path);
	else
		snprintf(where, sizeof(where), "/proc/%d/fd/%d/%.*s", t->tid, dirfd, (int)pb->len,
		         path);
	struct stat st;
	return stat(where, &st) == 0 ? S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) : errno == ENOENT;
}

bool rec_late_ok(const struct task *t, const struct sysdesc *d)
{
	if (!d || !(d->flags & SC_LATE) || !late_supported())
		return false;
	/* A program that set a GS base of its own may use it. */
	if (t->regs.gs_base != 0)
		return false;
	const struct ev_syscall *s = &t->ev.sys;
	switch (s->nr) {
	case SYS_mmap:
		/* A shared mapping may join the task's domain to others: that
		 * needs the exit stop (record_share.c). */
		return (s->args[3] & 0x3) == MAP_PRIVATE;
	case SYS_arch_prctl:
		return s->args[0] == ARCH_SET_FS;     /* the others write memory */
	case SYS_open:
	case SYS_openat:
		return opens_at_once(t);
	default:
		return true;
	}
}

/* One register, through PTRACE_POKEUSER: cheaper than all of them. */
#define SET_REG(tid, field, v) \
	ptrace(PTRACE_POKEUSER, (tid), offsetof(struct user_regs_struct, field), (v))

void rec_late_start(struct task *t)
{
	t->late_gs = t->regs.gs_base;
	SET_REG(t->tid, rip, SCRIBE_PAGE_LATE);
	t->late = true;
	rec_cont(t, 0);
}

void rec_late_finish(struct recorder *r, struct task *t)
{
	t->late = false;
	struct user_regs_struct now;
	if (!pt_getregs(t->tid, &now))
		return;                     /* SIGKILLed: the call is dropped */
	bool returning = now.rip >= SCRIBE_PAGE_LATE && now.rip < SCRIBE_PAGE_LATE_END;
	uint64_t ret = returning ? now.rax : now.gs_base;
	if (returning) {
		now.rip = now.rcx;          /* where the call returns to */
		SET_REG(t->tid, rip, now.rip);
	}
	if (now.gs_base != t->late_gs) {
		now.gs_base = t->late_gs;
		SET_REG(t->tid, gs_base, now.gs_base);
	}
	/* t->regs still holds the seccomp stop's registers: the exit stop's
	 * are the same but for the result. */
	struct user_regs_struct exit = t->regs;
	exit.rax = ret;
	rec_syscall_exit_late(r, t, &exit);
	/* Past the return already, the task ran user code since. */
	t->after_syscall = returning;
	t->regs = now;
	t->regs_fresh = true;
}

void rec_late_drop(struct task *t)
{
	t->late = false;
}
