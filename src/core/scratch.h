/* scratch.h -- replay's scratch directory, outside the trace. */
#ifndef SCRIBE_SCRATCH_H
#define SCRIBE_SCRATCH_H

/* Make this replay's directory, BASE/replay-PID-N, under BASE =
 * $XDG_RUNTIME_DIR/scribe or else /dev/shm/scribe-UID (/tmp/scribe-UID
 * without /dev/shm), and hold a lock on
 * it (*lockfd) while the replay runs; first remove the directories of
 * replays that died (their lock is free).  Returns the path (malloc'd) or
 * NULL with err_set. */
char *scratch_create(int *lockfd);
/* Remove the directory and its files, and drop the lock. */
void scratch_remove(const char *dir, int lockfd);

#endif
