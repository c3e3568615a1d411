/* gdb_server.h -- a gdb remote protocol server on a libscribe replay
 * session: gdb debugs the replayed program as if it were live, except
 * that nothing of it can be changed.  A client of include/scribe.h only. */
#ifndef SCRIBE_GDB_SERVER_H
#define SCRIBE_GDB_SERVER_H

#include <stdint.h>

#include "scribe.h"

struct gdb_server_opts {
	const char *trace;     /* the trace directory (monitor, restarts) */
	int32_t pid;           /* the recorded process gdb follows (0: the
	                          first) */
	int32_t start_pid;     /* where the session started (gdb_start's */
	long long event;       /* pid and event) */
};

/* Bring a session just opened where debugging starts (o's pid, event).
 * SCRIBE_OK, or a code with a message in err. */
int gdb_start(scribe_replay *r, int32_t pid, long long event, char *err, size_t errlen);

/* Serve one client on the connected socket fd until it detaches, kills,
 * or goes away, on the session *r, started by gdb_start (going back in
 * time replaces it: *r is the one to close).  Returns 0, or -1 if the
 * connection broke. */
int gdb_serve(scribe_replay **r, int fd, const struct gdb_server_opts *o);

#endif
