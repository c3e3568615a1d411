/* filter.c -- a traced program's own seccomp filters, behind scribe's
 * prefix (filter.h says why).
 *
 * A program's filter stacks on scribe's: the kernel runs both and takes
 * the stricter action, so a sandbox that kills unknown calls would kill
 * SB_SYS_REGISTER, and one that checks mmap's flags would trap the maps
 * replay re-makes with MAP_FIXED_NOREPLACE (the kernel checks a call
 * again after the tracer changed it).  The program's BPF is prefixed with
 * a few instructions that allow those calls and fall through to it
 * otherwise; BPF jumps are relative, so the program runs unchanged. */
#include "core/filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "core/page.h"
#include "core/ptrace.h"
#include "core/slot.h"
#include "core/util.h"
#include "preload/sbuf.h"

#define MAX_INSNS 4096            /* BPF_MAXINSNS */
#define NR        offsetof(struct seccomp_data, nr)
#define ARCH      offsetof(struct seccomp_data, arch)
#define IP_LO     offsetof(struct seccomp_data, instruction_pointer)
#define IP_HI     (IP_LO + 4)
#define ARG3_LO   offsetof(struct seccomp_data, args[3])

bool flt_is_install(const struct task *t)
{
	return (long)t->regs.orig_rax == SYS_seccomp && t->regs.rdi == SECCOMP_SET_MODE_FILTER;
}

/* The prefix; n is its length.  Each jump's false branch skips to the
 * next test; the last instruction clears the accumulator, which a
 * program may expect to start at zero. */
static size_t prefix(struct sock_filter *f, bool replay)
{
	size_t n = 0;
	size_t rest = replay ? 15 : 10;    /* instructions after the arch test */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0,
	                                      (uint8_t)(rest - 1));
	/* scribe's protocol calls */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SB_SYS_BASE, 0, 2);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, SB_SYS_LAST, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* calls scribe injects through the scribe page (pt_call_at) */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_HI);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_LO);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	                                      (uint32_t)SCRIBE_PAGE_SYSCALL_IP, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (replay) {
		/* maps replay makes where the recording had them */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR);
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 3);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG3_LO);
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
		                                      MAP_FIXED_NOREPLACE, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, 0);
	return n;
}

long flt_install(struct task *t, bool replay)
{
	struct sock_fprog prog;
	if (task_read(t, t->regs.rdx, &prog, sizeof(prog)) != (long)sizeof(prog))
		return -EFAULT;
	struct sock_filter pre[24];         /* prefix() writes at most 17 */
	size_t np = prefix(pre, replay);
	if (!prog.len || prog.len + np > MAX_INSNS)
		return -EINVAL;                 /* what the kernel says to either */
	size_t n = prog.len + np, size = n * sizeof(struct sock_filter);
	struct sock_filter *f = xmalloc(size);
	memcpy(f, pre, np * sizeof(*f));
	if (task_read(t, (uint64_t)prog.filter, f + np, prog.len * sizeof(*f)) !=
	    (long)(prog.len * sizeof(*f))) {
		free(f);
		return -EFAULT;
	}
	/* Below the red zone: the stack there is free, and the kernel copies
	 * the program before the call returns. */
	uint64_t at = (t->regs.rsp - 128 - size - sizeof(prog)) & ~15ull;
	struct sock_fprog ours = { (unsigned short)n, (struct sock_filter *)(at + sizeof(prog)) };
	int bad = task_write(t, at, &ours, sizeof(ours)) < 0 ||
	          task_write(t, at + sizeof(prog), f, size) < 0;
	free(f);
	if (bad)
		return -EFAULT;
	bool at_entry = true;
	return pt_inject(t->tid, &t->regs, &at_entry, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                 t->regs.rsi, at, 0, 0, 0);
}

void flt_buffer_off(struct task *t)
{
	if (t->sb)
		slot_set(t, SLOT_FIELD(mode), SB_OFF);
}
