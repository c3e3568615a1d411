/* cpu.h -- the CPU signature stored in traces, and the time-stamp counter. */
#ifndef SCRIBE_CPU_H
#define SCRIBE_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

/* "vendor family.model.stepping features-hash": what cpuid tells a program
 * about this machine; a trace replays faithfully only on a CPU with the
 * same answer, since cpuid cannot be trapped without CPUID faulting. */
const char *cpu_signature(void);
/* Read the time-stamp counter for a tracee (the calling tracer thread
 * traps rdtsc itself, so this lets it through for the one read). */
uint64_t cpu_rdtsc(void);
uint64_t cpu_rdtscp(uint32_t *aux);
/* The counter's value now, for a tracee's rdtsc: a real read at most
 * every 10 ms, estimated from the raw monotonic clock in between (cpu.c);
 * never smaller than the last value this thread returned. */
uint64_t cpu_tsc_now(void);
void cpu_tsc_line(uint64_t *tsc, uint64_t *ns, uint64_t *mult);

/* Make the calling tracer thread trap rdtsc like its tracees.  Switching
 * between a task that traps rdtsc and one that does not rewrites CR4,
 * which in a VM is an exit to the hypervisor: four of them per recorded
 * syscall doubled the cost of a stop here (measured: 36 us vs 16 us per
 * syscall).  Such a thread must not use the vDSO's clocks (util.c). */
void cpu_trap_tsc(void);

/* Can this machine make a task's cpuid fault (arch_prctl ARCH_SET_CPUID,
 * Intel's CPUID faulting, emulated by some hypervisors)?  Then tracees'
 * cpuid is trapped and answered from the trace: some of its answers
 * depend on the CPU the task runs on (leaf 1 ebx, the APIC id), which
 * record and replay do not share. */
bool cpu_can_fault_cpuid(void);
/* Make the calling tracer thread's cpuid fault too, like its tracees':
 * the kernel writes an MSR at each switch between a task that faults and
 * one that does not, an exit to the hypervisor in a VM (app-redis without
 * the buffer: 100 s instead of 45 s).  scribe's own cpuids (zstd's) are
 * then answered by a SIGSEGV handler.  Not in sanitizer builds, whose
 * runtimes handle SIGSEGV themselves. */
void cpu_trap_cpuid(void);
/* Whether the tracees' cpuid faults this run (only then do the tracer
 * threads', by cpu_trap_cpuid); set before the workers start. */
void cpu_set_tracees_trap_cpuid(bool on);
/* cpuid(leaf, subleaf) on the calling thread's CPU: out = eax ebx ecx edx. */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* A trapped cpuid's registers after it gave out (and rip past it). */
void cpu_cpuid_answer(struct user_regs_struct *r, const uint32_t out[4]);

#endif
