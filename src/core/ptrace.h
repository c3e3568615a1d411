/* ptrace.h -- thin, checked wrappers over ptrace(2) and tracee memory. */
#ifndef SCRIBE_PTRACE_H
#define SCRIBE_PTRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>

#define PT_OPTIONS (PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | \
                    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | \
                    PTRACE_O_TRACESECCOMP)

/* The kernel's internal restart codes, visible to a tracer at syscall exit. */
#define ERESTARTSYS           512
#define ERESTARTNOINTR        513
#define ERESTARTNOHAND        514
#define ERESTART_RESTARTBLOCK 516
static inline bool is_restart_code(int64_t ret)
{
	return ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK && ret != -515;
}

/* A stop status meaning "just resume me", for a task parked at a point
 * that is not a real stop of its own (preempted, or handed over). */
#define SYNTH_RESUME ((PTRACE_EVENT_STOP << 16) | (SIGTRAP << 8) | 0x7f)

int pt_seize(pid_t pid, unsigned long options);
/* False if the task is gone (killed since it stopped): no event then. */
bool pt_getregs(pid_t tid, struct user_regs_struct *r);
void pt_setregs(pid_t tid, const struct user_regs_struct *r);
/* At a syscall's seccomp stop, with the registers there: skip the call
 * and go back to its syscall instruction with rax holding the number,
 * so the task makes it again when it next runs (after a signal handler,
 * or a job-control stop). */
void pt_put_back_syscall(pid_t tid, const struct user_regs_struct *entry);
/* PTRACE_CONT, or PTRACE_SYSEMU in a thread replaying with no filter */
void pt_cont(pid_t tid, int sig);
/* The calling tracer thread's mode: PTRACE_SYSEMU instead of a seccomp
 * filter (a per-thread setting: see ptrace.c). */
void pt_set_sysemu(bool on);
bool pt_sysemu(void);
/* Is tid at a syscall's entry (or seccomp) stop, its call not made? */
bool pt_at_entry(pid_t tid);
/* A task at a syscall's entry stop, its registers set: make the call for
 * real, to its exit stop (PTRACE_SYSCALL).  Under PTRACE_SYSEMU the call
 * is issued again first (the entry has skipped it).  False if it died. */
bool pt_run_call(pid_t tid);
/* The same, but on to the next stop with no exit stop (an exit). */
void pt_run_on(pid_t tid);
/* The same, then on with PTRACE_CONT: no syscall stops (the child
 * scribe spawned, until its exec). */
void pt_run_free(pid_t tid);
void pt_syscall(pid_t tid, int sig);    /* PTRACE_SYSCALL */
void pt_getsiginfo(pid_t tid, siginfo_t *si);
void pt_setsiginfo(pid_t tid, const siginfo_t *si);
unsigned long pt_geteventmsg(pid_t tid);

/* Tracee memory.  pt_read returns the bytes read (short on a fault);
 * memfd is the process's /proc/PID/mem, needed for writes (it can write
 * read-only pages, as the kernel itself would). */
long pt_read(pid_t tid, int memfd, uint64_t addr, void *buf, size_t len);
int pt_write(int memfd, uint64_t addr, const void *buf, size_t len);
/* Read a NUL-terminated string (at most max-1 bytes); returns its length
 * or -1 if unreadable. */
long pt_read_str(pid_t tid, int memfd, uint64_t addr, char *buf, size_t max);
int pt_open_mem(pid_t pid);

/* Wait for a specific tid's next stop; returns the wait status. */
int pt_wait(pid_t tid);
/* Same, giving up at deadline (CLOCK_MONOTONIC ns; needs a periodic
 * signal to interrupt waitpid).  Returns false on timeout. */
bool pt_wait_until(pid_t tid, uint64_t deadline, int *status);
/* Has tid been killed since its last stop (ptrace requests fail with
 * ESRCH)? */
bool pt_gone(pid_t tid);

/* Mask eflags bits that differ between equivalent stops (RF, TF) and
 * compare two register sets. */
bool regs_equal(const struct user_regs_struct *a, const struct user_regs_struct *b);

/* Run one system call inside a tracee that is stopped at a syscall stop
 * (`at_entry`: a seccomp stop whose syscall has not run yet; otherwise a
 * syscall-exit stop).  `base` holds the registers the syscall instruction
 * was issued with; on return the task sits at the injected call's exit
 * stop.  Returns the call's result, or -ESRCH if the task died on the way
 * (a SIGKILL): its death is left for the worker loop's waitpid. */
long pt_inject(pid_t tid, const struct user_regs_struct *base, bool *at_entry,
               long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5);
/* Make a system call in a task stopped in any ptrace stop, through the
 * syscall instruction at ip (one the seccomp filter lets through: the
 * scribe page's), then put its registers back as they were.  A task at a
 * syscall's entry stop leaves it first through that call's exit stop, the
 * call not made (replay answers calls there: orig_rax is -1 already).
 * Returns the call's result, or -ESRCH as pt_inject. */
long pt_call_at(pid_t tid, const struct user_regs_struct *regs, uint64_t ip, long nr,
                uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* The same with every signal blocked meanwhile (PTRACE_SETSIGMASK): for
 * a call scribe makes for itself at any stop of the recording, where a
 * signal must reach the program as if nothing had happened.  A stop that
 * cannot be blocked (SIGSTOP's) before the call is done leaves its status
 * in *stop, the registers and mask put back, and returns -EINTR: the
 * caller handles that stop as its own.  -ESRCH if the task died (a
 * SIGKILL): its death is left for the worker loop's waitpid. */
long pt_call_masked(pid_t tid, const struct user_regs_struct *regs, uint64_t ip, int *stop,
                    long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                    uint64_t a5);
/* Make a system call in a task stopped at its exec (PTRACE_EVENT_EXEC),
 * before any instruction of the new image runs, where no scribe page is
 * mapped yet; the task is left at the call's exit stop, with the exec
 * stop's registers (and rax 0, what execve returns).  Returns the call's
 * result, -ESRCH if the task died, -EFAULT if its entry point cannot be
 * written. */
long pt_call_at_exec(pid_t tid, int memfd, const struct user_regs_struct *regs, long nr,
                     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                     uint64_t a5);
/* Make the cpuid of a task stopped at its exec fault (exec turns CPUID
 * faulting off) before the new image runs: ld.so and Go's runtime run
 * cpuid before any syscall.  Nothing if cpuid cannot fault here
 * (cpu_cpuid_faults).  False if the task died meanwhile (its death
 * is seen next). */
bool pt_fault_cpuid_at_exec(pid_t tid, int memfd, const struct user_regs_struct *regs);

/* The extended register state (x87, SSE, AVX...: the XSAVE area).
 * Returns its size (at most cap), or -1. */
long pt_getxstate(pid_t tid, void *buf, size_t cap);
void pt_setxstate(pid_t tid, const void *buf, size_t len);

/* Hash of the registers that must match at a syscall stop. */
uint64_t regs_hash(const struct user_regs_struct *r);

#endif
