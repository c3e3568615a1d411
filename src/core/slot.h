/* slot.h -- the tracer's side of a task's syscall-buffer slot (the
 * protocol is in preload/sbuf.h): read its header and records, set its
 * fields.  Record and replay share these; what they do with them is in
 * record/record_buffer.c and replay/replay_buffer.c. */
#ifndef SCRIBE_SLOT_H
#define SCRIBE_SLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tracee.h"
#include "preload/sbuf.h"

/* Read the header of the task's slot; false if it cannot be read (the
 * task died, or the slot is not mapped: then it is forgotten). */
bool slot_header(struct task *t, struct sb_hdr *h);
/* Set one 32-bit field of the header (offsetof(struct sb_hdr, field)). */
void slot_set(struct task *t, size_t off, uint32_t v);
/* Empty the buffer: used, limit and nrec to 0. */
void slot_empty(struct task *t);
/* Is the library in the middle of a call (no signals, no preemption)? */
bool slot_in_call(struct task *t);
/* The slot of a task created by `parent` with these clone flags: a new
 * thread (CLONE_SETTLS) finds its own; fork and vfork children use the
 * one they inherit. */
uint64_t slot_inherit(const struct task *parent, uint64_t clone_flags);
/* The library registered the slot at addr (SB_SYS_REGISTER): it becomes
 * the task's, and the loader stub's (preload/ldstub.h), which this stop
 * flushed or settled, is turned off. */
void slot_register(struct task *t, uint64_t addr);

#define SLOT_FIELD(f) offsetof(struct sb_hdr, f)

#endif
