/* cpu.h -- the CPU signature stored in traces, the time-stamp counter, and
 * cpuid as traced programs see it. */
#ifndef SCRIBE_CPU_H
#define SCRIBE_CPU_H

#include <stdbool.h>
#include <stdint.h>

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
/* Let this thread read the TSC again (true) or trap it again (false):
 * around calls into code that is not scribe's (a libscribe session's
 * output callback reads the clock through the vDSO). */
void cpu_allow_tsc(bool on);
/* The process is scribe's own (the CLI, not a libscribe caller): tracer
 * threads may then fault on cpuid too, as their tracees do, which saves
 * an MSR write per switch in a VM, with a SIGSEGV handler answering the
 * cpuid of a library (zstd's) in a tracer thread.  Without it (libscribe
 * callers) tracer threads run cpuid natively and no handler is set. */
void cpu_own_process(void);

/* Can a task be made to fault on cpuid (CPUID faulting: ARCH_SET_CPUID)?
 * Scribe arms it in every image it traces (page.c) and answers each cpuid
 * with cpu_cpuid_seen, in record and replay alike. */
bool cpu_cpuid_faults(void);
/* This machine's cpuid(leaf, sub) without what would make two runs of a
 * program differ although scribe saw every input: RDRAND, RDSEED and RDPID
 * (random numbers and a CPU number scribe cannot trap), HLE and RTM
 * (transactions that abort at random), and the APIC ids of whichever CPU
 * the tracer thread runs on.  out: eax, ebx, ecx, edx. */
void cpu_cpuid_seen(uint32_t leaf, uint32_t sub, uint32_t out[4]);

#endif
