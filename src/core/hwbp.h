/* hwbp.h -- hardware breakpoints and watchpoints through the debug
 * registers (set through PTRACE_POKEUSER; no performance counters needed).
 *
 * Slot 0 (DR0) is the engine's own execution breakpoint (hwbp_set /
 * hwbp_clear: record places preemptions with it, replay finds spin-loop
 * fixed points); slots 1-3 are a debugger's (hwbp_set_user).  Each call
 * leaves the other owner's bits of DR7 as they were. */
#ifndef SCRIBE_HWBP_H
#define SCRIBE_HWBP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define HWBP_USER_SLOTS 3

enum hwbp_type { HWBP_EXEC = 0, HWBP_WRITE = 1, HWBP_ACCESS = 3 };  /* DR7's R/W field */

struct hwbp_slot {
	bool used;
	int type;              /* enum hwbp_type */
	uint64_t addr;
	uint32_t len;          /* 1, 2, 4 or 8 (EXEC: 1), addr aligned to it */
};

int hwbp_set(pid_t tid, uint64_t addr);
void hwbp_clear(pid_t tid);
/* Is this SIGTRAP a debug-register breakpoint firing (any slot)? */
bool hwbp_hit(const siginfo_t *si);
/* Is it slot 0's (the engine's)?  Reads DR6 (the slots that fired). */
bool hwbp_hit_engine(pid_t tid, const siginfo_t *si);
/* Put the debugger's slots (HWBP_USER_SLOTS of them) in DR1-DR3. */
int hwbp_set_user(pid_t tid, const struct hwbp_slot *s);
/* DR6 as the kernel keeps it for the last debug trap (bit n: slot n
 * fired; HWBP_DR6_STEP: a single step), then cleared. */
#define HWBP_DR6_STEP 0x4000ul
unsigned long hwbp_dr6(pid_t tid);
/* Is len a size a watchpoint can have, and addr aligned to it? */
bool hwbp_valid(int type, uint64_t addr, uint32_t len);

#endif
