/* ldstub.h -- the loader stub: what the tracer (core/loader.c) and the
 * stub (preload/ldstub.c, ldstub.S) agree on.
 *
 * The dynamic loader makes most of a short process's calls before any
 * library code can run (LD_PRELOAD constructors run last): a cc1 makes
 * 117 of its 129.  So the tracer, at the first system call after an exec
 * (where it maps the scribe page), puts a small freestanding copy of the
 * buffer's core next to the scribe page and points ld.so's own syscall
 * sites for the calls that never wait (openat of a regular file, read,
 * pread64, newfstatat, close, access, its maps of libraries, mprotect,
 * munmap, rseq) and its rdtsc and cpuid instructions at it.  The stub logs in a slot of
 * its own, SB_LD_SLOT, exactly as the library does in its slots; the
 * tracer flushes it the same way, and replay sets up the same stub and
 * answers from the same records.  When the library registers its slot,
 * the tracer turns the stub off (mode SB_OFF): it then makes every call
 * traced, from its own syscall instruction.
 *
 * Address space: one mapping from SCRIBE_PAGE up to the library's slots
 * (SB_AREA_BASE), below 2 GiB so ld.so reaches it with a 7-byte "jmp
 * *ABS32", mapped by one injected call (a second one, to make the code
 * read-only, cost as much as a few of the stops the stub saves):
 *   SCRIBE_PAGE      the scribe page (core/page.h)
 *   LD_CODE          the stub binary
 *   LD_TRAMP         the sites' trampolines, written by the tracer
 *   LD_CPUID         cpuid's answers for ld.so's cpuid sites, written by
 *                    the tracer (struct ld_cpuid)
 *   LD_DATA          the stub's .bss (its descriptor kinds): program
 *                    memory like any other, hashed and snapshotted
 *   SB_LD_SLOT       the stub's slot (sbuf.h), which hashes skip */
#ifndef SCRIBE_LDSTUB_H
#define SCRIBE_LDSTUB_H

#include <stdint.h>

#include "preload/sbuf.h"

#define LD_AREA_SIZE   (SB_AREA_BASE - 0x70000000ul)  /* from SCRIBE_PAGE (core/page.h) */
#define LD_CODE        0x70001000ul              /* the stub binary: struct ld_head first */
#define LD_CODE_MAX    0xb000ul
#define LD_TRAMP       0x7000c000ul              /* trampolines, written by the tracer */
#define LD_TRAMP_SIZE  64ul                      /* bytes per site */
#define LD_MAX_SITES   128
#define LD_CPUID       (LD_TRAMP + LD_MAX_SITES * LD_TRAMP_SIZE)
#define LD_CPUID_MAX   256                       /* entries, the last an end */
#define LD_DATA_SIZE   0x2000ul
#define LD_DATA        (SB_LD_SLOT - LD_DATA_SIZE)

/* Recording: the files the tracer has kept from the stub's maps so far
 * (struct sb_mapid, an empty one has inode 0), written at set-up: a map
 * of one of them needs no flush before its descriptor closes (sbuf.h
 * SB_REC_MAP).  At the bottom of the slot's private stack, which the
 * stub's few frames never reach. */
#define LD_KNOWN       (SB_LD_SLOT + SB_SLOT_SIZE - SB_STACK_SIZE)
#define LD_NKNOWN      32

#define LD_MAGIC 0x5453444cu                     /* "LDST" */

/* At LD_CODE: where the tracer finds the stub's entry. */
struct ld_head {
	uint32_t magic;
	uint32_t entry;        /* offset of ld_entry from LD_CODE */
	uint32_t rdtsc;        /* offset of ld_rdtsc */
	uint32_t cpuid;        /* offset of ld_cpuid */
};

/* One answer at LD_CPUID, as the tracer gives it for a trapped cpuid
 * (core/cpu.h cpu_cpuid_seen): ld.so asks some forty of them at start-up,
 * each a stop of some 20-45 us when trapped.  ldstub.S ld_cpuid reads
 * these; a (leaf, sub) not in the table runs a real cpuid, trapped and
 * answered by the tracer as ever. */
#define LD_CPUID_EXACT 0         /* only for this sub-leaf */
#define LD_CPUID_ANY   1         /* a leaf that ignores ecx */
#define LD_CPUID_END   2         /* the end of the table */
struct ld_cpuid {
	uint32_t leaf, sub, kind, pad;
	uint32_t out[4];         /* eax, ebx, ecx, edx */
};

#endif
