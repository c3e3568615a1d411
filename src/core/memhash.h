/* memhash.h -- the memory part of a full-state signature.
 *
 * A preemption or an asynchronous signal that lands in the middle of user
 * code is placed by the task's full state: its registers and a hash of the
 * writable memory of its process.  Two moments with equal registers and
 * equal memory are interchangeable: execution from either is identical. */
#ifndef SCRIBE_MEMHASH_H
#define SCRIBE_MEMHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The contents of every writable mapping, in address order.  Pages that
 * read as zero are left out, and so are private anonymous pages the kernel
 * has never populated, so the result does not depend on which pages
 * happen to be resident. */
struct memsnap {
	uint64_t *addr;      /* page addresses */
	uint8_t *data;       /* their contents, 4096 bytes each */
	size_t npages, cap;
};

struct map;
/* The part of a mapping these hashes and snapshots cover: writable, and
 * not the syscall buffer's slots.  False if none of it. */
bool memhash_span(const struct map *m, uint64_t *start, uint64_t *end);

uint64_t memhash(pid_t pid, int memfd);
/* Snapshot (for finding the words a loop changes); false if too large. */
bool memsnap_take(pid_t pid, int memfd, struct memsnap *s, size_t max_bytes);
/* Snapshot of just these pages (sorted), zero ones included: what a
 * slice wrote (dirty.h).  Pages no longer mapped are left out.  False if
 * larger than max_bytes. */
bool memsnap_pages(pid_t pid, int memfd, const uint64_t *pages, size_t n, struct memsnap *s,
                   size_t max_bytes);
void memsnap_free(struct memsnap *s);
/* Words (8-byte aligned) that differ between two snapshots; returns the
 * count, or -1 if more than `max` differ. */
int memsnap_diff(const struct memsnap *a, const struct memsnap *b, uint64_t *addrs, int max);
/* Same value as memhash() of the memory the snapshot was taken of. */
uint64_t memsnap_hash(const struct memsnap *s);
/* The word at addr in a snapshot (0 when the page is absent: zero). */
uint64_t memsnap_word(const struct memsnap *s, uint64_t addr);

#endif
