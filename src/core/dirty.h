/* dirty.h -- which pages of a traced process were written, and since when.
 *
 * A preemption snapshot (record/record_preempt.c) used to carry every
 * non-zero page of writable memory: its cost grew with the heap, and a
 * heap over 64 MiB was not preempted at all.  Replay's memory equals the
 * recording's at every event, so a snapshot needs only the pages written
 * since a point replay is known to share: the process's previous
 * snapshot, or a baseline taken at a syscall stop.
 *
 * The kernel tracks the writes: a userfaultfd in write-protect mode,
 * asynchronous (UFFD_FEATURE_WP_ASYNC, Linux 6.7), has every write to a
 * protected page unprotect it without any fault reaching user space, and
 * the PAGEMAP_SCAN ioctl of /proc/PID/pagemap lists the unprotected
 * pages and protects them again, in time proportional to what it finds.
 * The userfaultfd must belong to the traced process's address space: it
 * is made there by an injected call, taken over with pidfd_getfd and
 * closed again in the process, which never sees it. */
#ifndef SCRIBE_DIRTY_H
#define SCRIBE_DIRTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

struct dirty;

/* Start tracking the process pid, whose task tid is stopped in a ptrace
 * stop (not a syscall's entry) with registers regs and has the scribe
 * page mapped.  NULL, with err_set, when it cannot be had (no userfaultfd
 * for us, a kernel before 6.7, a seccomp filter of the program's own):
 * then snapshots are whole, as before.  NULL with *stop set when a stop
 * of the task's own came first (SIGSTOP, death): the caller handles it.
 * The pages already there count as written. */
struct dirty *dirty_start(pid_t pid, pid_t tid, const struct user_regs_struct *regs, int *stop);
/* Closing scribe's userfaultfd unregisters every range it had: a program
 * that makes a userfaultfd of its own can then register them. */
void dirty_stop(struct dirty *d);

/* Protect every writable mapping not protected yet (new ones), then add
 * the pages written since the last call to the pending set and protect
 * them again.  Returns how many pages it found written, or -1 with
 * err_set when a writable mapping cannot be tracked (another userfaultfd
 * has it, a device mapping): the pending set is then incomplete, and the
 * caller takes a whole snapshot. */
long dirty_collect(struct dirty *d);
/* The pending set: pages written since the last dirty_clear (or since
 * dirty_start), in address order. */
const uint64_t *dirty_pages(const struct dirty *d, size_t *n);
void dirty_clear(struct dirty *d);

#endif
