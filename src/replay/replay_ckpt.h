/* replay_ckpt.h -- checkpoints of a stopped libscribe replay session, and
 * restoring them (docs/design.md, "Checkpoints").
 *
 * A checkpoint is a frozen fork of every replayed process (made by a
 * clone injected into it) plus a copy of the engine's state for it: the
 * task, process and domain records, the stream position, the output and
 * event counters.  Its processes never run.  A restore kills the current
 * program, forks the checkpoint's processes again (so one checkpoint can
 * be restored any number of times) and rebuilds the engine's tables from
 * the copy; the tracer threads then go on from the checkpoint's stop. */
#ifndef SCRIBE_REPLAY_CKPT_H
#define SCRIBE_REPLAY_CKPT_H

#include <stddef.h>

#include "replay/replay_ctl.h"

struct replayer;
struct rp_ckpt;

/* At a stop: take a checkpoint.  NULL with a message in err if the state
 * cannot be copied faithfully (what is not supported yet is refused, never
 * copied half: the message names why); *busy tells a replay that was not
 * stopped (or is over) from such a refusal. */
struct rp_ckpt *rp_ckpt_take(struct replayer *r, bool *busy, char *err, size_t errlen);
/* At a stop: make the session continue from a fresh copy of ck (the
 * current program is killed).  0, or -1 with a message in err (*busy:
 * the replay was not stopped, or is over). */
int rp_ckpt_restore(struct replayer *r, const struct rp_ckpt *ck, bool *busy, char *err,
                    size_t errlen);
/* Kill its processes and free it; r may be over (its threads gone). */
void rp_ckpt_free(struct replayer *r, struct rp_ckpt *ck);
/* Where it was taken. */
const struct rp_stop *rp_ckpt_stop(const struct rp_ckpt *ck);

/* A tracer thread that a restore sent back to the top of its loop (from
 * freeze, replay_control.c): let the restored holder of its domain go. */
void rp_ckpt_restarted(struct replayer *r);

/* A re-executed call of task t (at its entry, t->regs read): keep the
 * per-thread kernel state a recreated thread needs. */
struct task;
void rp_ckpt_note_call(struct task *t);

/* rp_ctl_close: what restores left for threads that never thawed. */
void rp_ckpt_close(struct replayer *r);

#endif
