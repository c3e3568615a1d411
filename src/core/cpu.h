/* cpu.h -- the CPU signature stored in traces, and the time-stamp counter. */
#ifndef SCRIBE_CPU_H
#define SCRIBE_CPU_H

#include <stdint.h>

/* "vendor family.model.stepping features-hash": what cpuid tells a program
 * about this machine; a trace replays faithfully only on a CPU with the
 * same answer, since cpuid cannot be trapped without CPUID faulting. */
const char *cpu_signature(void);
uint64_t cpu_rdtsc(void);
uint64_t cpu_rdtscp(uint32_t *aux);

#endif
