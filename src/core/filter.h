/* filter.h -- a traced program's own seccomp filters (the sandboxes of
 * Chromium and Firefox), installed behind a prefix that lets scribe's own
 * calls through them. */
#ifndef SCRIBE_FILTER_H
#define SCRIBE_FILTER_H

#include <stdbool.h>

#include "core/tracee.h"

/* Is the task, at a syscall entry stop with t->regs, installing a seccomp
 * filter (seccomp(SECCOMP_SET_MODE_FILTER, ...))? */
bool flt_is_install(const struct task *t);

/* Install the task's filter in its stead, behind scribe's prefix: the
 * syscall buffer's protocol calls (SB_SYS_*) and the calls scribe injects
 * through the scribe page pass it; everything else, the library's
 * buffered calls included, meets the program's filter as natively.  On
 * replay the prefix also passes the MAP_FIXED_NOREPLACE maps replay makes
 * where the recording mapped.  Returns the call's result (the task then
 * sits at the call's exit stop, its registers unchanged), or -ESRCH if it
 * died.  A program that is not valid BPF fails as the kernel would say. */
long flt_install(struct task *t, bool replay);

/* The syscall buffer off in the task's slot: behind the program's filter,
 * the library must make no call the program did not (buffered calls run
 * from the scribe page, where the filter would see calls it never saw
 * natively, and a trap inside one could not be replayed). */
void flt_buffer_off(struct task *t);

#endif
