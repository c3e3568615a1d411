/* ptrace.c -- checked ptrace wrappers, tracee memory access, syscall
 * injection.  A failing ptrace request on a live tracee is an internal
 * error: it dies loudly.  ESRCH (the tracee vanished, e.g. SIGKILLed) is
 * tolerated so the event loop can collect the exit. */
#include "core/ptrace.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/cpu.h"
#include "core/util.h"

static void check(long rc, const char *what, pid_t tid)
{
	if (rc < 0 && errno != ESRCH)
		fatal("ptrace %s on %d: %s", what, tid, strerror(errno));
}

bool pt_gone(pid_t tid)
{
	errno = 0;
	return ptrace(PTRACE_PEEKUSER, tid, 0, NULL) == -1 && errno == ESRCH;
}

int pt_seize(pid_t pid, unsigned long options)
{
	return ptrace(PTRACE_SEIZE, pid, 0, options) < 0 ? -1 : 0;
}

bool pt_getregs(pid_t tid, struct user_regs_struct *r)
{
	if (ptrace(PTRACE_GETREGS, tid, 0, r) < 0) {
		check(-1, "GETREGS", tid);
		memset(r, 0, sizeof(*r));
		return false;
	}
	return true;
}

void pt_setregs(pid_t tid, const struct user_regs_struct *r)
{
	check(ptrace(PTRACE_SETREGS, tid, 0, r), "SETREGS", tid);
}

void pt_put_back_syscall(pid_t tid, const struct user_regs_struct *entry)
{
	struct user_regs_struct r = *entry;
	r.rax = r.orig_rax;
	r.orig_rax = -1;
	r.rip -= 2;
	pt_setregs(tid, &r);
}

/* Replay with no seccomp filter stops every syscall with PTRACE_SYSEMU
 * (issue 18: a filter cannot be removed, so a program replayed under one
 * could never go live).  The mode belongs to the tracer thread: every
 * task it resumes is of one replay, and threads of different sessions
 * may differ; record leaves it off. */
static __thread bool sysemu;

void pt_set_sysemu(bool on) { sysemu = on; }

bool pt_sysemu(void) { return sysemu; }

void pt_cont(pid_t tid, int sig)
{
	if (sysemu)
		check(ptrace(PTRACE_SYSEMU, tid, 0, (long)sig), "SYSEMU", tid);
	else
		check(ptrace(PTRACE_CONT, tid, 0, (long)sig), "CONT", tid);
}

void pt_syscall(pid_t tid, int sig)
{
	check(ptrace(PTRACE_SYSCALL, tid, 0, (long)sig), "SYSCALL", tid);
}

void pt_getsiginfo(pid_t tid, siginfo_t *si)
{
	memset(si, 0, sizeof(*si));
	check(ptrace(PTRACE_GETSIGINFO, tid, 0, si), "GETSIGINFO", tid);
}

void pt_setsiginfo(pid_t tid, const siginfo_t *si)
{
	check(ptrace(PTRACE_SETSIGINFO, tid, 0, si), "SETSIGINFO", tid);
}

unsigned long pt_geteventmsg(pid_t tid)
{
	unsigned long msg = 0;
	check(ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg), "GETEVENTMSG", tid);
	return msg;
}

int pt_open_mem(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	return open(path, O_RDWR | O_CLOEXEC);
}

long pt_read(pid_t tid, int memfd, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	/* Unreadable pages (PROT_NONE, guard pages) or a partial read:
	 * /proc/PID/mem reads what the kernel itself could. */
	if (memfd < 0)
		return n < 0 ? 0 : n;
	size_t got = n > 0 ? (size_t)n : 0;
	while (got < len) {
		ssize_t k = pread(memfd, (char *)buf + got, len - got, (off_t)(addr + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += k;
	}
	return got;
}

int pt_write(int memfd, uint64_t addr, const void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t k = pwrite(memfd, (const char *)buf + done, len - done,
		                   (off_t)(addr + done));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		done += k;
	}
	return 0;
}

long pt_read_str(pid_t tid, int memfd, uint64_t addr, char *buf, size_t max)
{
	size_t got = 0;
	while (got + 1 < max) {
		/* Read up to the next page boundary so we never cross into an
		 * unmapped page unnecessarily. */
		size_t chunk = 4096 - ((addr + got) & 4095);
		chunk = MIN(chunk, max - 1 - got);
		long n = pt_read(tid, memfd, addr + got, buf + got, chunk);
		if (n <= 0)
			break;
		char *z = memchr(buf + got, 0, n);
		if (z)
			return z - buf;
		got += n;
	}
	buf[got] = 0;
	return got ? (long)got : -1;
}

int pt_wait(pid_t tid)
{
	int status;
	for (;;) {
		pid_t r = waitpid(tid, &status, __WALL);
		if (r == tid)
			return status;
		if (r < 0 && errno != EINTR)
			fatal("waitpid %d: %s", tid, strerror(errno));
	}
}

bool pt_wait_until(pid_t tid, uint64_t deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(tid, status, __WALL);
		if (r == tid)
			return true;
		if (r < 0 && errno != EINTR)
			fatal("waitpid %d: %s", tid, strerror(errno));
		if (mono_ns() >= deadline)
			return false;
	}
}

bool regs_equal(const struct user_regs_struct *a, const struct user_regs_struct *b)
{
	struct user_regs_struct x = *a, y = *b;
	x.eflags &= ~0x10100ull;
	y.eflags &= ~0x10100ull;
	x.orig_rax = y.orig_rax = 0;
	return !memcmp(&x, &y, sizeof(x));
}

/* Has tid died (or reached its exit stop, the step before)?  Looked at
 * without taking the status: the worker loop's waitpid then sees the death
 * as usual.  A SIGKILL from the program's own family can come at any
 * moment, also while scribe makes a call of its own inside the task. */
static bool zombie(pid_t tid)
{
	char buf[512];
	char st = proc_state(proc_text(buf, sizeof(buf), "/proc/%d/stat", tid));
	return st == 0 || st == 'Z' || st == 'X';
}

static bool dying(pid_t tid)
{
	siginfo_t si;
	for (;;) {
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)tid, &si, WEXITED | WSTOPPED | __WALL | WNOWAIT) == 0)
			break;
		if (errno != EINTR)
			return errno == ECHILD;      /* reaped already: gone */
		/* A killed thread-group leader reports nothing while another
		 * of its threads waits in a ptrace stop to be reaped, which
		 * only the worker loop does: the tracer thread's tick (EINTR)
		 * looks whether it is a zombie meanwhile. */
		if (zombie(tid))
			return true;
	}
	if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
		return true;
	return si.si_code == CLD_TRAPPED && si.si_status == (SIGTRAP | PTRACE_EVENT_EXIT << 8);
}

/* Wait for the next stop of tid that is not a signal's: a signal that
 * arrives while scribe makes a call of its own inside the task (a real
 * child's SIGCHLD on replay) is not the program's business here.  Only
 * signals the kernel raised on its own are dropped (a fault cannot happen
 * in the call; one that scribe sent itself is never pending then).
 * Returns -1, the status left for the worker loop, if the task died. */
static int wait_past_signals(pid_t tid, int resume)
{
	for (;;) {
		if (dying(tid))
			return -1;
		int st = pt_wait(tid);
		if (!WIFSTOPPED(st) || (st >> 16) || (WSTOPSIG(st) & 0x80) || WSTOPSIG(st) == SIGTRAP)
			return st;
		siginfo_t si;
		pt_getsiginfo(tid, &si);
		if (si.si_code <= 0)
			return st;
		check(ptrace(resume, tid, 0, 0L), "resume", tid);
	}
}

/* base, with a syscall's number and arguments in place */
static struct user_regs_struct with_call(const struct user_regs_struct *base, long nr,
                                         uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                         uint64_t a4, uint64_t a5)
{
	struct user_regs_struct r = *base;
	r.orig_rax = nr;
	r.rax = nr;
	r.rdi = a0;
	r.rsi = a1;
	r.rdx = a2;
	r.r10 = a3;
	r.r8 = a4;
	r.r9 = a5;
	return r;
}

/* Resume the task to its next syscall stop (entry or exit) of call nr.
 * False if it died on the way. */
static bool to_syscall_stop(pid_t tid, long nr)
{
	pt_syscall(tid, 0);
	int st = wait_past_signals(tid, PTRACE_SYSCALL);
	if (st == -1)
		return false;
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
		fatal("injected %ld into %d: no syscall stop (0x%x)", nr, tid, st);
	return true;
}

static long result_now(pid_t tid)
{
	struct user_regs_struct out;
	pt_getregs(tid, &out);
	return (long)out.rax;
}

/* Is tid at a syscall's entry or seccomp stop, its call not made yet? */
static bool at_call_entry(pid_t tid)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info);
	return n > 0 && (info.op == PTRACE_SYSCALL_INFO_ENTRY ||
	                 info.op == PTRACE_SYSCALL_INFO_SECCOMP);
}

/* Run the task with registers r to the seccomp stop of the syscall
 * instruction at r->rip (one the filter stops), or with no filter
 * (PTRACE_SYSEMU replay) to its real entry stop.  False if it died. */
static bool to_seccomp_stop(pid_t tid, const struct user_regs_struct *r, long nr)
{
	pt_setregs(tid, r);
	if (sysemu) {
		/* (at an exec stop, the execve's own exit stop comes first) */
		do
			if (!to_syscall_stop(tid, nr))
				return false;
		while (!at_call_entry(tid));
		return true;
	}
	check(ptrace(PTRACE_CONT, tid, 0, 0L), "CONT", tid);
	int st = wait_past_signals(tid, PTRACE_CONT);
	if (st == -1)
		return false;
	if (!WIFSTOPPED(st) || (st >> 8) != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)))
		fatal("injected %ld into %d: unexpected stop 0x%x", nr, tid, st);
	return true;
}

bool pt_at_entry(pid_t tid)
{
	return at_call_entry(tid);
}

/* A PTRACE_SYSEMU entry stop has decided already that its call is
 * skipped: leave it through its exit stop, back up over the syscall
 * instruction and issue the call again, now traced with PTRACE_SYSCALL,
 * to a real entry stop (as rr does).  Every signal is blocked on the
 * way, so that none is taken before the call; the mask is back before
 * the call runs (it may be rt_sigprocmask). */
static bool reenter(pid_t tid, const struct user_regs_struct *want)
{
	struct user_regs_struct r = *want;
	if (at_call_entry(tid)) {
		r.orig_rax = -1;
		pt_setregs(tid, &r);
		if (!to_syscall_stop(tid, -1))
			return false;
	}
	uint64_t mask, all = ~0ull;
	if (ptrace(PTRACE_GETSIGMASK, tid, sizeof(mask), &mask) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, tid, sizeof(all), &all) < 0)
		return false;
	r = *want;
	r.rax = want->orig_rax;
	r.orig_rax = -1;
	r.rip = want->rip - 2;
	pt_setregs(tid, &r);
	bool ok = to_syscall_stop(tid, (long)want->orig_rax);
	ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
	if (ok)
		pt_setregs(tid, want);
	return ok;
}

bool pt_run_call(pid_t tid)
{
	if (sysemu) {
		struct user_regs_struct r;
		if (!pt_getregs(tid, &r) || !reenter(tid, &r))
			return false;
	}
	pt_syscall(tid, 0);
	return true;
}

void pt_run_free(pid_t tid)
{
	struct user_regs_struct r;
	if (sysemu && pt_at_entry(tid) && (!pt_getregs(tid, &r) || !reenter(tid, &r)))
		return;
	check(ptrace(PTRACE_CONT, tid, 0, 0L), "CONT", tid);
}

void pt_run_on(pid_t tid)
{
	if (sysemu) {
		struct user_regs_struct r;
		if (!pt_getregs(tid, &r) || !reenter(tid, &r))
			return;
		check(ptrace(PTRACE_SYSEMU, tid, 0, 0L), "SYSEMU", tid);
		return;
	}
	pt_cont(tid, 0);
}

long pt_inject(pid_t tid, const struct user_regs_struct *base, bool *at_entry,
               long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5)
{
	struct user_regs_struct r = with_call(base, nr, a0, a1, a2, a3, a4, a5);
	if (*at_entry && sysemu) {
		/* A PTRACE_SYSEMU entry: the pending call is skipped whatever
		 * we do; leave through its exit stop and issue ours as below. */
		struct user_regs_struct skip = *base;
		skip.orig_rax = -1;
		pt_setregs(tid, &skip);
		if (!to_syscall_stop(tid, -1))
			return -ESRCH;
		*at_entry = false;
	}
	if (*at_entry) {
		/* The pending syscall has not run: swap in ours. */
		pt_setregs(tid, &r);
	} else {
		/* Back up to the syscall instruction and issue it again; the
		 * seccomp filter stops it at entry. */
		r.rip = base->rip - 2;
		if (!to_seccomp_stop(tid, &r, nr))
			return -ESRCH;
	}
	if (!to_syscall_stop(tid, nr))    /* its exit */
		return -ESRCH;
	*at_entry = false;
	return result_now(tid);
}

long pt_call_at(pid_t tid, const struct user_regs_struct *regs, uint64_t ip, long nr,
                uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (at_call_entry(tid)) {
		/* The kernel takes the task through this call's exit stop
		 * before it runs any other instruction: go there first, the
		 * call skipped, or the injected call's entry stop would pass
		 * for its exit (its rax reads -ENOSYS). */
		struct user_regs_struct skip = *regs;
		skip.orig_rax = -1;
		pt_setregs(tid, &skip);
		if (!to_syscall_stop(tid, -1))
			return -ESRCH;
	}
	struct user_regs_struct r = with_call(regs, nr, a0, a1, a2, a3, a4, a5);
	r.rip = ip;
	r.orig_rax = -1;         /* no restart of whatever the stop interrupted */
	pt_setregs(tid, &r);
	if (!to_syscall_stop(tid, nr) ||  /* its entry (the filter lets it through) */
	    !to_syscall_stop(tid, nr))    /* its exit */
		return -ESRCH;
	long ret = result_now(tid);
	pt_setregs(tid, regs);
	return ret;
}

long pt_call_masked(pid_t tid, const struct user_regs_struct *regs, uint64_t ip, int *stop,
                    long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                    uint64_t a5)
{
	uint64_t mask, all = ~0ull;
	if (ptrace(PTRACE_GETSIGMASK, tid, sizeof(mask), &mask) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, tid, sizeof(all), &all) < 0)
		return -ESRCH;
	struct user_regs_struct r = with_call(regs, nr, a0, a1, a2, a3, a4, a5);
	r.rip = ip;
	r.orig_rax = -1;
	pt_setregs(tid, &r);
	long ret = -EINTR;
	for (int leg = 0; leg < 2; leg++) {      /* its entry, then its exit */
		pt_syscall(tid, 0);
		if (dying(tid))
			return -ESRCH;              /* the loop's waitpid reaps it */
		int st = pt_wait(tid);
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			*stop = st;                 /* SIGSTOP's */
			break;
		}
		if (leg == 1)
			ret = result_now(tid);
	}
	pt_setregs(tid, regs);
	ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
	return ret;
}

/* The call goes through `mov $nr, %eax; syscall` written over the entry
 * point for it (the seccomp filter stops it like any other), then bytes
 * and registers are put back.  eax is set by the code, not by us: leaving
 * the exec stop, the execve under way still writes its result (0) into
 * rax over whatever number scribe put there; 0 is also what the program
 * then finds there.  Every signal is blocked meanwhile (PTRACE_SETSIGMASK,
 * as pt_call_masked does): one sent now (a SIGTERM to the recording at
 * the exec) stays pending for the program, not a stop in our call. */
long pt_call_at_exec(pid_t tid, int memfd, const struct user_regs_struct *regs, long nr,
                     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                     uint64_t a5)
{
	const uint8_t code[7] = { 0xb8, (uint8_t)nr, (uint8_t)(nr >> 8), 0, 0, 0x0f, 0x05 };
	uint8_t orig[sizeof(code)];
	uint64_t mask, all = ~0ull;
	if (ptrace(PTRACE_GETSIGMASK, tid, sizeof(mask), &mask) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, tid, sizeof(all), &all) < 0)
		return -ESRCH;
	if (pt_read(tid, memfd, regs->rip, orig, sizeof(orig)) != sizeof(orig) ||
	    pt_write(memfd, regs->rip, code, sizeof(code)) < 0) {
		ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
		return pt_gone(tid) ? -ESRCH : -EFAULT;
	}
	struct user_regs_struct r = with_call(regs, nr, a0, a1, a2, a3, a4, a5);
	if (!to_seccomp_stop(tid, &r, nr) || !to_syscall_stop(tid, nr))   /* entry, exit */
		return -ESRCH;
	long ret = result_now(tid);
	pt_write(memfd, regs->rip, orig, sizeof(orig));
	r = *regs;
	r.rax = 0;                   /* execve's result */
	r.orig_rax = -1;             /* nothing to restart */
	pt_setregs(tid, &r);
	ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
	return ret;
}

bool pt_fault_cpuid_at_exec(pid_t tid, int memfd, const struct user_regs_struct *regs)
{
	if (!cpu_cpuid_faults())
		return true;
	long ret = pt_call_at_exec(tid, memfd, regs, SYS_arch_prctl, ARCH_SET_CPUID, 0, 0, 0, 0, 0);
	if (ret == -ESRCH)
		return false;
	if (ret < 0)
		fatal("cannot make cpuid fault in %d: %s", tid, strerror(-ret));
	return true;
}

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif

long pt_getxstate(pid_t tid, void *buf, size_t cap)
{
	struct iovec iov = { buf, cap };
	if (ptrace(PTRACE_GETREGSET, tid, NT_X86_XSTATE, &iov) < 0)
		return -1;
	return iov.iov_len;
}

void pt_setxstate(pid_t tid, const void *buf, size_t len)
{
	struct iovec iov = { (void *)buf, len };
	check(ptrace(PTRACE_SETREGSET, tid, NT_X86_XSTATE, &iov), "SETREGSET", tid);
}

uint64_t regs_hash(const struct user_regs_struct *r)
{
	/* rax at a seccomp stop is always -ENOSYS and orig_rax is the number
	 * compared on its own; everything else must be identical. */
	struct user_regs_struct c = *r;
	c.rax = 0;
	c.orig_rax = 0;
	/* nor the trap flag, which a debugger's single step sets
	 * (replay_debug.c), in the flags and in r11, where `syscall` copies
	 * them: it is clear at any recorded stop, so the hashes of existing
	 * traces are unchanged */
	c.eflags &= ~0x100ull;
	c.r11 &= ~0x100ull;
	return XXH3_64bits(&c, sizeof(c));
}
