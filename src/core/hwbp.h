/* hwbp.h -- one hardware execution breakpoint per task (debug registers,
 * set through PTRACE_POKEUSER; no performance counters needed). */
#ifndef SCRIBE_HWBP_H
#define SCRIBE_HWBP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

int hwbp_set(pid_t tid, uint64_t addr);
void hwbp_clear(pid_t tid);
/* Is this SIGTRAP our breakpoint firing? */
bool hwbp_hit(const siginfo_t *si);

#endif
