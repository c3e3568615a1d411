/* reaper.h -- a process that outlives scribe to kill the tasks nothing
 * else would.
 *
 * PTRACE_O_EXITKILL kills every tracee when its tracer dies, however it
 * dies.  A task moving between tracer threads is not a tracee: it is
 * detached and parked in pause() on the scribe page (page.h) until the
 * other thread seizes it.  fatal() and the signal handlers kill those too
 * (workers_kill_all), but a SIGKILL to scribe runs no code of ours, and
 * the parked task would live on, stopped in pause() forever.  So a
 * multi-threaded scribe starts a reaper: a small orphaned process that
 * shares a table of parked tasks with scribe and blocks reading a pipe
 * only scribe can write to.  When the read ends (scribe is gone, however
 * it went), it kills each task of the table that is still parked where
 * scribe parked it, and exits. */
#ifndef SCRIBE_REAPER_H
#define SCRIBE_REAPER_H

#include <sys/types.h>

/* Start the reaper (once; a no-op when it is running).  Returns -1 if it
 * could not be started: recording goes on without it. */
int reaper_start(void);
/* A task is about to be parked (before its detach) / is traced again or
 * gone (after its seize).  No-ops without a reaper. */
void reaper_add(pid_t tid);
void reaper_remove(pid_t tid);

#endif
