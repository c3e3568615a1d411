/* seccomp.c -- the BPF filter that routes system calls to the tracer.
 *
 * Every syscall stops in the tracer (SECCOMP_RET_TRACE) except the one
 * syscall instruction on the scribe page (page.h), which only scribe ever
 * points a task at.  Even rt_sigreturn stops: it changes the signal mask,
 * and a slice of user code restored from a snapshot (record_preempt.c)
 * must be free of any syscall.
 * Calls from other ABIs (int 0x80, x32) also stop, so the tracer sees them
 * and refuses them clearly instead of letting them slip by. */
#include "core/seccomp.h"

#include <stdint.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/page.h"

int seccomp_install(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		/* the scribe page's two syscall instructions (page.h) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)SCRIBE_PAGE_SYSCALL_IP, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)SCRIBE_PAGE_BUFFER_IP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	/* Without CAP_SYS_ADMIN a filter needs no_new_privs; as root we keep
	 * setuid programs working and skip it. */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? -1 : 0;
}
