/* replay.h -- replay a trace directory. */
#ifndef SCRIBE_REPLAY_H
#define SCRIBE_REPLAY_H

#include <stdbool.h>

struct replay_opts {
	const char *dir;
	bool quiet;            /* do not re-emit the program's output */
	bool stats;            /* print a summary (events, placements) */
	const char *store;     /* the user's object store: the verification
	                          cache, and objects of a trace whose recorded
	                          store is gone */
	bool sysemu;           /* no seccomp filter: syscalls stopped with
	                          PTRACE_SYSEMU, so the program can go live */
};

/* Replay to the end.  Returns 0 with the program's wait status, or -1
 * after printing one "scribe: ..." line (divergence, bad trace). */
int replay_run(const struct replay_opts *o, int *status);

#endif
