/* core.h -- one buffered call, made or answered: the part of the syscall
 * buffer that the preload library (preload.c, entry.S) and the loader stub
 * (ldstub.c, ldstub.S) share.  core.c makes no libc call and keeps no
 * state outside the slot but the descriptor kinds (fd_cache): it runs on
 * a slot's private stack, in a library and in a stub with no libc at all.
 *
 * Results are raw: a value, or -errno.  Calls that go to the tracer
 * instead set the frame's fallback (sb_fallback) and return 0. */
#ifndef SCRIBE_PRELOAD_CORE_H
#define SCRIBE_PRELOAD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "preload/sbuf.h"

#define HIDDEN __attribute__((visibility("hidden")))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Laid out by entry.S on the private stack. */
struct sb_frame {
	long idx;
	long a[6];
	long fallback;          /* 1: jump to the real function instead;
	                           2: answered, then stop (SB_SYS_SYNC) */
	long sp;
};

_Static_assert(offsetof(struct sb_hdr, mode) == 4, "slot_asm.h HDR_MODE");
_Static_assert(offsetof(struct sb_hdr, in_call) == 8, "slot_asm.h HDR_IN_CALL");
_Static_assert(SB_SLOT_SIZE == 0x80000, "slot_asm.h SLOT_SIZE");
_Static_assert(SB_SYS_SYNC == 0x5c0003, "slot_asm.h SYS_SYNC");

/* One call's record, being written (recording) or read (replaying). */
struct op {
	struct sb_hdr *h;
	struct sb_rec *rec;
	uint8_t *p, *end;       /* payload cursor */
};

HIDDEN uint8_t *sb_records(struct sb_hdr *h);
HIDDEN int sb_recording(const struct op *o);
HIDDEN _Noreturn void sb_diverge(struct sb_hdr *h, uint32_t nr, uint64_t hash,
                                 const struct sb_rec *r);
HIDDEN void op_begin(struct op *o, struct sb_hdr *h, uint32_t nr, uint64_t hash, uint64_t arg0,
                     size_t payload);
HIDDEN long op_call(struct op *o, long nr, long a, long b, long c, long d, long e, long f);
HIDDEN long op_value(struct op *o, long v);
HIDDEN void op_copy(struct op *o, void *user, size_t len);
HIDDEN void op_in(struct op *o, const void *user, size_t len);
HIDDEN void op_end(struct op *o);
HIDDEN uint32_t sb_peek(struct sb_hdr *h);
HIDDEN long sb_sync_point(struct sb_hdr *h);
HIDDEN uint64_t hash_args(long nr, const long *a, int n);
HIDDEN uint64_t hash_more(uint64_t h, const void *p, size_t len);

/* What the buffer knows of descriptors (core.c fd_cache). */
HIDDEN void fd_forget(long fd);
HIDDEN void fd_forget_all(void);
HIDDEN long fd_kind(struct sb_hdr *h, int fd);
/* A write begun with op_begin, to a file mapped shared in the recording
 * (sb_hdr.shared_n): its record says the write is made traced instead,
 * recording and replaying; the record is ended, and true. */
HIDDEN bool op_shared_write(struct op *o, int fd);

HIDDEN long sb_fallback(struct sb_frame *f);
HIDDEN long sb_recv(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs);
HIDDEN long sb_pread(struct sb_hdr *h, struct sb_frame *f);
HIDDEN long sb_simple(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg,
                      size_t out);
HIDDEN long sb_simple_ret(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg,
                          size_t cap);
HIDDEN size_t path_len(const char *p);
HIDDEN long path_call(struct sb_hdr *h, const long *args, long nr, int nargs, int pa, int oa,
                      size_t out, bool out_is_ret);
HIDDEN long sb_reexec(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg,
                      size_t out);
HIDDEN long sb_anon_map(struct sb_hdr *h, const long *a);
HIDDEN bool sb_anon_ok(const long *a, bool fixed);
HIDDEN long sb_open(struct sb_hdr *h, struct sb_frame *f, long dirfd, const char *path,
                    long flags, long mode);

#endif
