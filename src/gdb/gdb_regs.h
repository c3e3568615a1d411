/* gdb_regs.h -- x86-64 registers as gdb numbers them, and the target
 * description (features i386 core, sse, linux, segments, avx) that says
 * so. */
#ifndef SCRIBE_GDB_REGS_H
#define SCRIBE_GDB_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "scribe.h"

#define GDB_NREGS 76

/* The target description document (qXfer:features:read:target.xml). */
extern const char gdb_target_xml[];

/* Register n of a task, from its general registers and XSAVE area, into
 * out: its size in bytes (0: no such register). */
size_t gdb_reg(const struct scribe_regs *g, const uint8_t *xsave, size_t xlen, int n,
               uint8_t out[16]);

#endif
