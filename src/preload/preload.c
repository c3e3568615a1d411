/* preload.c -- the syscall buffer library, loaded into every recorded
 * process with LD_PRELOAD (see sbuf.h for the protocol, entry.S for how a
 * wrapped function gets here).
 *
 * sb_dispatch() makes or answers one wrapped call.  Recording, a call that
 * cannot block the memory domain runs in the process itself, through the
 * scribe page's untraced syscall instruction, and is logged in the slot;
 * a call that might wait for another task (a read from an empty pipe, a
 * write to a blocking socket, a tty) goes to the real libc function and
 * is traced as before.  Replaying, the same decisions are taken from the
 * same records, so the program follows the same path.
 *
 * Rules for this file: it runs on the slot's private stack with signals
 * held off by the tracer, so it must not call into libc (except errno and,
 * at start-up, dlsym) and must not use vector registers (the Makefile
 * builds it with -mgeneral-regs-only): whatever it leaves in registers or
 * memory outside the slot must be the same whether the kernel or the
 * buffer answered. */
#include <dlfcn.h>
#include <link.h>
#include <linux/futex.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#define XXH_VECTOR 0            /* XXH_SCALAR: no vector registers */
#include <xxhash.h>

#include "preload/patch.h"
#include "preload/raw.h"
#include "preload/sbuf.h"

#define HIDDEN __attribute__((visibility("hidden")))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

enum {
#define W(name, idx) IX_##name = idx,
#include "preload/wrapped.h"
#undef W
	NWRAPPED
};

static const char *const wrapped_names[NWRAPPED] = {
#define W(name, idx) [idx] = #name,
#include "preload/wrapped.h"
#undef W
};

HIDDEN void *sb_real[NWRAPPED];
HIDDEN __thread struct sb_hdr *sb_slot __attribute__((tls_model("initial-exec")));
static int next_slot;

/* Laid out by entry.S on the private stack. */
struct sb_frame {
	long idx;
	long a[6];
	long fallback;          /* 1: jump to the real function instead;
	                           2: answered, then stop (SB_SYS_SYNC) */
	long sp;
};

_Static_assert(offsetof(struct sb_hdr, mode) == 4, "entry.S HDR_MODE");
_Static_assert(offsetof(struct sb_hdr, in_call) == 8, "entry.S HDR_IN_CALL");
_Static_assert(SB_SLOT_SIZE == 0x80000, "entry.S SLOT_SIZE");
_Static_assert(SB_SYS_SYNC == 0x5c0003, "entry.S SYS_SYNC");

/* ---- system calls ------------------------------------------------------ */

static void copy_bytes(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* ---- one buffered call ------------------------------------------------- */

struct op {
	struct sb_hdr *h;
	struct sb_rec *rec;
	uint8_t *p, *end;       /* payload cursor */
};

static uint8_t *records(struct sb_hdr *h) { return (uint8_t *)h + SB_RECS_OFF; }
static int recording(const struct op *o) { return o->h->mode == SB_RECORD; }

static _Noreturn void diverge(struct sb_hdr *h, uint32_t nr, uint64_t hash,
                              const struct sb_rec *r)
{
	h->div_nr = nr;
	h->div_hash = hash;
	h->div_rec_nr = r ? r->nr : 0;
	h->div_rec_hash = r ? r->hash : 0;
	for (;;) {               /* the tracer reports it and ends the replay */
		traced(SB_SYS_DIVERGE, 0, 0, 0, 0, 0, 0);
		traced(SYS_exit_group, 125, 0, 0, 0, 0, 0);
	}
}

/* Start a call's record, with room for `payload` bytes of output.
 * Recording, a full buffer is handed to the tracer first; replaying, an
 * empty one is refilled (the trace has a flush exactly where recording
 * did), and the record must be the call the program makes now. */
static void op_begin(struct op *o, struct sb_hdr *h, uint32_t nr, uint64_t hash, uint64_t arg0,
                     size_t payload)
{
	o->h = h;
	if (h->mode == SB_RECORD) {
		if (nr != SB_REC_SYNC &&
		    h->used + sb_rec_size(payload) + sizeof(struct sb_rec) > SB_RECS_CAP)
			traced(SB_SYS_FLUSH, 0, 0, 0, 0, 0, 0);
		o->rec = (struct sb_rec *)(records(h) + h->used);
		o->rec->nr = nr;
		o->rec->ret = 0;
		o->rec->arg0 = arg0;
		o->rec->hash = hash;
		o->p = (uint8_t *)(o->rec + 1);
		o->end = o->p + payload;
		return;
	}
	if (h->used >= h->limit)
		traced(SB_SYS_FLUSH, 0, 0, 0, 0, 0, 0);
	struct sb_rec *r = (struct sb_rec *)(records(h) + h->used);
	if (h->used >= h->limit || h->limit - h->used < sizeof(*r) || r->size < sizeof(*r) ||
	    sb_rec_stride(r->size) > h->limit - h->used)
		diverge(h, nr, hash, NULL);
	if (r->nr != nr || r->hash != hash)
		diverge(h, nr, hash, r);
	o->rec = r;
	o->p = (uint8_t *)(r + 1);
	o->end = (uint8_t *)r + r->size;
}

/* The call's result: made now (recording) or the recorded one. */
static long op_call(struct op *o, long nr, long a, long b, long c, long d, long e, long f)
{
	if (recording(o))
		o->rec->ret = untraced(nr, a, b, c, d, e, f);
	return o->rec->ret;
}

/* A value learned from the kernel some other way (recording only). */
static long op_value(struct op *o, long v)
{
	if (recording(o))
		o->rec->ret = v;
	return o->rec->ret;
}

/* Memory the call wrote: into the record, or back from it. */
static void op_copy(struct op *o, void *user, size_t len)
{
	if (!user || !len)
		return;
	if ((size_t)(o->end - o->p) < len)
		len = (size_t)(o->end - o->p);
	if (recording(o))
		copy_bytes(o->p, user, len);
	else
		copy_bytes(user, o->p, len);
	o->p += len;
}

/* Bytes the call was given (a path): kept in the record for dump and
 * skipped on replay (the hash already covers them). */
static void op_in(struct op *o, const void *user, size_t len)
{
	if ((size_t)(o->end - o->p) < len)
		len = (size_t)(o->end - o->p);
	if (recording(o))
		copy_bytes(o->p, user, len);
	o->p += len;
}

static void op_end(struct op *o)
{
	struct sb_hdr *h = o->h;
	if (recording(o))
		o->rec->size = (uint32_t)(o->p - (uint8_t *)o->rec);
	h->used += (uint32_t)sb_rec_stride(o->rec->size);
	h->nrec++;
}

/* After an answered call: the tracer holds a signal for this thread and
 * wants a stop to deliver it.  Recording, the request is noted as an
 * SB_REC_SYNC record (there is always room for one); replaying, that
 * record says to stop at the same place.  Returns the frame's answer
 * code: 2 = answered, then stop. */
static long sync_point(struct sb_hdr *h)
{
	struct op o;
	if (h->mode == SB_RECORD) {
		if (!h->want_sync)
			return 0;
	} else {
		const struct sb_rec *next = (const struct sb_rec *)(records(h) + h->used);
		if (h->used >= h->limit || next->nr != SB_REC_SYNC)
			return 0;
	}
	op_begin(&o, h, SB_REC_SYNC, 0, 0, 0);
	op_end(&o);
	return 2;
}

/* ---- deciding how to make a call ---------------------------------------- */

static uint64_t hash_args(long nr, const long *a, int n)
{
	return XXH3_64bits_withSeed(a, (size_t)n * sizeof(long), (uint64_t)nr);
}

static uint64_t hash_more(uint64_t h, const void *p, size_t len)
{
	return p && len ? XXH3_64bits_withSeed(p, len, h) : h;
}

/* Recording: may the tracer keep this descriptor's large reads by
 * reference (sbuf.h)?  Only if it is a system file: installed under a
 * system directory, not writable by group or others (the tracer's rule,
 * files.c, which checks again), so that reads of other files cost the
 * tracer nothing.  The path takes a readlink of /proc/self/fd/N (some
 * 2.5 us), so it is asked only at the descriptor's first large read, and
 * the answer is kept by inode: a server that opens the same file for
 * every request asks once.  Replay never asks, so what was learned is
 * kept in the thread's slot (SB_REFS_OFF), which memory hashes and
 * snapshots leave out, never in the library's own memory.  Per thread:
 * another thread's stale answer for a reused descriptor number costs the
 * tracer a comparison that fails, never a wrong reference. */
#define FD_CACHE 4096
enum { REF_UNKNOWN, REF_YES, REF_NO };

#define INO_CACHE 64
struct ino_ref {
	uint64_t dev, ino, ctime_ns, ref;
};

struct ref_state {
	uint8_t fd[FD_CACHE / 4];        /* 2 bits per descriptor, REF_* */
	struct ino_ref ino[INO_CACHE];
};
_Static_assert(sizeof(struct sb_hdr) <= SB_REFS_OFF &&
               SB_REFS_OFF + sizeof(struct ref_state) <= SB_RECS_OFF,
               "the slot's header page holds the header and ref_state");

static struct ref_state *ref_state(struct sb_hdr *h)
{
	return (struct ref_state *)((uint8_t *)h + SB_REFS_OFF);
}

static unsigned fd_ref(struct sb_hdr *h, int fd)
{
	return ref_state(h)->fd[fd / 4] >> (fd % 4 * 2) & 3;
}

static void set_fd_ref(struct sb_hdr *h, int fd, unsigned ref)
{
	uint8_t *b = &ref_state(h)->fd[fd / 4];
	*b = (uint8_t)((*b & ~(3u << (fd % 4 * 2))) | ref << (fd % 4 * 2));
}

static struct ino_ref *ino_slot(struct sb_hdr *h, const struct stat *st)
{
	return &ref_state(h)->ino[(st->st_ino ^ st->st_dev * 31) % INO_CACHE];
}

static uint64_t ctime_ns(const struct stat *st)
{
	return (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec;
}

static int under_system_dir(int fd)
{
	static const char dirs[][8] = { "/usr/", "/lib/", "/lib32/", "/lib64/", "/bin/", "/sbin/" };
	char proc[32] = "/proc/self/fd/", digits[12], path[8];
	int n = 0, len = 14;
	unsigned v = (unsigned)fd;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		proc[len++] = digits[--n];
	proc[len] = 0;
	long got = untraced(SYS_readlink, (long)proc, (long)path, sizeof(path), 0, 0, 0);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t k = 0;
		while (dirs[i][k] && k < (size_t)got && path[k] == dirs[i][k])
			k++;
		if (!dirs[i][k])
			return 1;
	}
	return 0;
}

/* What the inode says at once, or REF_UNKNOWN. */
static unsigned ref_from_stat(struct sb_hdr *h, const struct stat *st)
{
	if (!S_ISREG(st->st_mode) || st->st_size < SB_REF_MIN || (st->st_mode & (S_IWGRP | S_IWOTH)))
		return REF_NO;
	const struct ino_ref *c = ino_slot(h, st);
	bool same = c->ref && c->dev == st->st_dev && c->ino == st->st_ino &&
	            c->ctime_ns == ctime_ns(st);
	return same ? (unsigned)c->ref : REF_UNKNOWN;
}

/* Recording, at a descriptor's probe: what is known already. */
static void ref_probe(struct sb_hdr *h, int fd, const struct stat *st)
{
	if (fd >= 0 && fd < FD_CACHE)
		set_fd_ref(h, fd, ref_from_stat(h, st));
}

/* At the first large read of a descriptor still REF_UNKNOWN. */
static int ref_decide(struct sb_hdr *h, int fd)
{
	struct stat st;
	unsigned ref = REF_NO;
	if (untraced(SYS_fstat, fd, (long)&st, 0, 0, 0, 0) == 0) {
		ref = ref_from_stat(h, &st);
		if (ref == REF_UNKNOWN) {
			ref = under_system_dir(fd) ? REF_YES : REF_NO;
			*ino_slot(h, &st) = (struct ino_ref){ st.st_dev, st.st_ino, ctime_ns(&st), ref };
		}
	}
	set_fd_ref(h, fd, ref);
	return ref == REF_YES;
}

static long probe_fd(struct sb_hdr *h, int fd)
{
	struct stat st;
	if (untraced(SYS_fstat, fd, (long)&st, 0, 0, 0, 0) < 0)
		return SB_FD_BAD;                   /* the call fails at once */
	ref_probe(h, fd, &st);
	for (int i = 0; i < 2; i++)
		if (h->out_ino[i] && st.st_ino == h->out_ino[i] && st.st_dev == h->out_dev[i])
			return SB_FD_TRACED;        /* replay shows it again */
	if (S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1))
		return SB_FD_PLAIN;                 /* files, /dev/null, /dev/urandom */
	long fl = untraced(SYS_fcntl, fd, F_GETFL, 0, 0, 0, 0);
	if (fl >= 0 && (fl & O_NONBLOCK))
		return SB_FD_PLAIN;
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return SB_FD_WAITS;
	return SB_FD_TRACED;
}

/* What the library learned of each descriptor (kind + 1; 0: ask again).
 * A descriptor changes kind only when it is closed or replaced, which the
 * library sees (close, the _nocancel and inline closes, dup2/dup3,
 * close_range), or when its O_NONBLOCK flag changes (fcntl F_SETFL,
 * FIONBIO), which may change it for every descriptor sharing the open
 * file, so that forgets them all.  Kept in the process's own memory: the
 * same calls fill and clear it on replay. */
static uint8_t fd_cache[FD_CACHE];

static void fd_forget(long fd)
{
	if (fd >= 0 && fd < FD_CACHE)
		fd_cache[fd] = 0;
}

static void fd_forget_all(void)
{
	for (int i = 0; i < FD_CACHE; i++)
		fd_cache[i] = 0;
}

static long fd_kind(struct sb_hdr *h, int fd)
{
	if (fd >= 0 && fd < FD_CACHE && fd_cache[fd])
		return fd_cache[fd] - 1;
	struct op o;
	op_begin(&o, h, SB_REC_FDKIND, (uint64_t)fd, (uint64_t)fd, 0);
	long k = op_value(&o, recording(&o) ? probe_fd(h, fd) : 0);
	if (k != SB_FD_BAD && fd >= 0 && fd < FD_CACHE)
		fd_cache[fd] = (uint8_t)(k + 1);
	op_end(&o);
	return k;
}

static long result(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static long fallback(struct sb_frame *f)
{
	f->fallback = 1;
	return 0;
}

/* Recording: after the bytes of a large read of a file, the offset they
 * came from (sbuf.h, SB_REF_MIN), so the tracer may keep them by
 * reference.  `at` is pread's offset; -1 for read, whose offset is the
 * descriptor's position now, less what it read.  Nothing on replay: the
 * tracer hands the library the bytes. */
static void file_offset(struct op *o, int fd, long r, long at)
{
	if (!recording(o) || r < SB_REF_MIN || (size_t)(o->end - o->p) < sizeof(uint64_t) ||
	    fd < 0 || fd >= FD_CACHE || fd_ref(o->h, fd) == REF_NO ||
	    (fd_ref(o->h, fd) == REF_UNKNOWN && !ref_decide(o->h, fd)))
		return;
	if (at < 0) {
		long pos = untraced(SYS_lseek, fd, 0, SEEK_CUR, 0, 0, 0);
		if (pos < r)
			return;              /* not a file with a position */
		at = pos - r;
	}
	uint64_t off = (uint64_t)at;
	copy_bytes(o->p, &off, sizeof(off));
	o->p += sizeof(off);
}

/* ---- the calls ----------------------------------------------------------- */

/* read, __read_chk and recv/recvfrom: a pipe or blocking socket is tried
 * without waiting; if nothing is there the real function waits, traced. */
static long do_recv(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs)
{
	long *a = f->a;
	int fd = (int)a[0];
	size_t n = (size_t)a[2];
	long flags = nr == SYS_recvfrom ? a[3] : 0;
	socklen_t *alen = nr == SYS_recvfrom && a[4] ? (socklen_t *)a[5] : NULL;
	size_t addr_room = alen ? *alen : 0;
	if (n > SB_MAX_PAYLOAD || addr_room > 128)
		return fallback(f);
	long k = fd_kind(h, fd);
	if (k == SB_FD_TRACED)
		return fallback(f);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash_args(nr, a, nargs), (uint64_t)fd,
	         n + sizeof(*alen) + addr_room + sizeof(uint64_t));
	long r;
	bool waits = k == SB_FD_WAITS && !(flags & MSG_DONTWAIT);
	struct iovec v = { (void *)a[1], n };
	if (nr == SYS_recvfrom)
		r = op_call(&o, nr, fd, a[1], (long)n, flags | (waits ? MSG_DONTWAIT : 0), a[4], a[5]);
	else if (waits)
		r = op_call(&o, SYS_preadv2, fd, (long)&v, 1, -1, 0, RWF_NOWAIT);
	else
		r = op_call(&o, SYS_read, fd, a[1], (long)n, 0, 0, 0);
	if (waits && (r == -EAGAIN || r == -EOPNOTSUPP)) {
		op_end(&o);
		return fallback(f);
	}
	if (r > 0)
		op_copy(&o, (void *)a[1], MIN((size_t)r, n));
	if (nr == SYS_read && k == SB_FD_PLAIN)
		file_offset(&o, fd, r, -1);
	if (r >= 0 && alen) {
		op_copy(&o, alen, sizeof(*alen));
		op_copy(&o, (void *)a[4], MIN((size_t)*alen, addr_room));
	}
	op_end(&o);
	return result(r);
}

/* readv: as read, scattered. */
static long do_readv(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	int fd = (int)a[0], cnt = (int)a[2];
	const struct iovec *iov = (const struct iovec *)a[1];
	if (cnt < 0 || cnt > 64)
		return fallback(f);
	size_t n = 0;
	for (int i = 0; i < cnt; i++)
		n += iov[i].iov_len;
	if (n > SB_MAX_PAYLOAD)
		return fallback(f);
	long k = fd_kind(h, fd);
	if (k == SB_FD_TRACED)
		return fallback(f);
	struct op o;
	op_begin(&o, h, SYS_readv, hash_more(hash_args(SYS_readv, a, 3), iov, cnt * sizeof(*iov)),
	         (uint64_t)fd, n);
	bool waits = k == SB_FD_WAITS;
	long r = waits ? op_call(&o, SYS_preadv2, fd, a[1], cnt, -1, 0, RWF_NOWAIT)
	               : op_call(&o, SYS_readv, fd, a[1], cnt, 0, 0, 0);
	if (waits && (r == -EAGAIN || r == -EOPNOTSUPP)) {
		op_end(&o);
		return fallback(f);
	}
	for (int i = 0; i < cnt && r > 0 && (size_t)(o.p - (uint8_t *)(o.rec + 1)) < (size_t)r; i++) {
		size_t done = (size_t)(o.p - (uint8_t *)(o.rec + 1));
		op_copy(&o, iov[i].iov_base, MIN(iov[i].iov_len, (size_t)r - done));
	}
	op_end(&o);
	return result(r);
}

/* pread64: files only (anything else is ESPIPE or may wait). */
static long do_pread(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	size_t n = (size_t)a[2];
	if (n > SB_MAX_PAYLOAD || fd_kind(h, (int)a[0]) != SB_FD_PLAIN)
		return fallback(f);
	struct op o;
	op_begin(&o, h, SYS_pread64, hash_args(SYS_pread64, a, 4), (uint64_t)a[0],
	         n + sizeof(uint64_t));
	long r = op_call(&o, SYS_pread64, a[0], a[1], a[2], a[3], 0, 0);
	if (r > 0)
		op_copy(&o, (void *)a[1], MIN((size_t)r, n));
	file_offset(&o, (int)a[0], r, a[3]);
	op_end(&o);
	return result(r);
}

/* write, pwrite64, send, sendto: only where they cannot wait. */
static long do_write(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs)
{
	long *a = f->a;
	int fd = (int)a[0];
	long k = fd_kind(h, fd);
	bool dontwait = (nr == SYS_sendto) && (a[3] & MSG_DONTWAIT);
	if (k == SB_FD_TRACED || (k == SB_FD_WAITS && !dontwait))
		return fallback(f);
	uint64_t hash = hash_more(hash_args(nr, a, nargs), (const void *)a[1], (size_t)a[2]);
	if (nr == SYS_sendto && a[4])
		hash = hash_more(hash, (const void *)a[4], (size_t)(socklen_t)a[5]);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash, (uint64_t)fd, 0);
	long r = op_call(&o, nr, fd, a[1], a[2], a[3], a[4], a[5]);
	op_end(&o);
	return result(r);
}

static long do_writev(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	int fd = (int)a[0], cnt = (int)a[2];
	const struct iovec *iov = (const struct iovec *)a[1];
	if (cnt < 0 || cnt > 1024 || fd_kind(h, fd) != SB_FD_PLAIN)
		return fallback(f);
	uint64_t hash = hash_args(SYS_writev, a, 3);
	for (int i = 0; i < cnt; i++)
		hash = hash_more(hash, iov[i].iov_base, iov[i].iov_len);
	struct op o;
	op_begin(&o, h, SYS_writev, hash, (uint64_t)fd, 0);
	long r = op_call(&o, SYS_writev, fd, a[1], cnt, 0, 0, 0);
	op_end(&o);
	return result(r);
}

/* Calls that never wait and write `out` bytes at args[out_arg] on success
 * (0 for none): lseek, close, fstat, clock_gettime, the identity calls. */
static long simple(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg, size_t out)
{
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash_args(nr, a, nargs), (uint64_t)a[0], out);
	long r = op_call(&o, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r >= 0 && out)
		op_copy(&o, (void *)a[out_arg], out);
	op_end(&o);
	return r;
}

/* The same for calls whose result counts the bytes written at
 * args[out_arg] (at most `cap`): getcwd, getrandom. */
static long simple_ret(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg,
                       size_t cap)
{
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash_args(nr, a, nargs), (uint64_t)a[0], cap);
	long r = op_call(&o, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r > 0)
		op_copy(&o, (void *)a[out_arg], MIN((size_t)r, cap));
	op_end(&o);
	return r;
}

/* The same, from a libc wrapper: -1 and errno on failure. */
static long do_simple(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs, int out_arg,
                      size_t out)
{
	return result(simple(h, f->a, nr, nargs, out_arg, out));
}

/* copy_file_range between files: the kernel moves the bytes, replay
 * needs only the result and the offsets it moved. */
static long do_copy_range(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	if (fd_kind(h, (int)a[0]) != SB_FD_PLAIN || fd_kind(h, (int)a[2]) != SB_FD_PLAIN)
		return fallback(f);
	struct op o;
	op_begin(&o, h, SYS_copy_file_range, hash_args(SYS_copy_file_range, a, 6), (uint64_t)a[0],
	         16);
	long r = op_call(&o, SYS_copy_file_range, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r >= 0) {
		op_copy(&o, (void *)a[1], a[1] ? 8 : 0);
		op_copy(&o, (void *)a[3], a[3] ? 8 : 0);
	}
	op_end(&o);
	return result(r);
}

/* isatty() and the terminal's size, asked by every program that prints:
 * reads that never wait, on any descriptor.  Bytes out, or 0 for other
 * requests. */
static size_t ioctl_get_size(unsigned long req)
{
	switch (req) {
	case 0x5401: return 36;      /* TCGETS: the kernel's struct termios */
	case 0x5413: return 8;       /* TIOCGWINSZ: struct winsize */
	}
	return 0;
}

/* ioctl: the requests that never wait and write little (an int, a
 * termios, a window size). */
static long do_ioctl(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	size_t out;
	switch ((unsigned long)a[1]) {
	case 0x40049409: out = 0; break;        /* FICLONE */
	case 0x5421:     out = 0; break;        /* FIONBIO (reads an int) */
	case 0x541B:     out = 4; break;        /* FIONREAD */
	case 0x5401: case 0x5413:
		out = ioctl_get_size((unsigned long)a[1]);
		break;
	default:
		return fallback(f);
	}
	uint64_t hash = hash_args(SYS_ioctl, a, 3);
	if ((unsigned long)a[1] == 0x5421)
		fd_forget_all();
	if ((unsigned long)a[1] == 0x5421 && a[2])
		hash = hash_more(hash, (const void *)a[2], 4);
	struct op o;
	op_begin(&o, h, SYS_ioctl, hash, (uint64_t)a[0], out);
	long r = op_call(&o, SYS_ioctl, a[0], a[1], a[2], 0, 0, 0);
	if (r >= 0 && out)
		op_copy(&o, (void *)a[2], out);
	op_end(&o);
	return result(r);
}

/* getdents64 (readdir): a directory never waits. */
static long do_getdents(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	size_t n = (size_t)a[2];
	if (n > SB_MAX_PAYLOAD)
		return fallback(f);
	struct op o;
	op_begin(&o, h, SYS_getdents64, hash_args(SYS_getdents64, a, 3), (uint64_t)a[0], n);
	long r = op_call(&o, SYS_getdents64, a[0], a[1], a[2], 0, 0, 0);
	if (r > 0)
		op_copy(&o, (void *)a[1], MIN((size_t)r, n));
	op_end(&o);
	return result(r);
}

static long do_gettimeofday(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	struct op o;
	op_begin(&o, h, SYS_gettimeofday, hash_args(SYS_gettimeofday, a, 2), 0, 16 + 8);
	long r = op_call(&o, SYS_gettimeofday, a[0], a[1], 0, 0, 0, 0);
	if (r == 0) {
		op_copy(&o, (void *)a[0], 16);
		op_copy(&o, (void *)a[1], 8);
	}
	op_end(&o);
	return result(r);
}

static long do_time(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	struct op o;
	op_begin(&o, h, SYS_time, hash_args(SYS_time, a, 1), 0, 8);
	long r = op_call(&o, SYS_time, a[0], 0, 0, 0, 0, 0);
	if (r >= 0)
		op_copy(&o, (void *)a[0], 8);
	op_end(&o);
	return result(r);
}

/* epoll_wait and poll: asked without waiting first; if nothing is ready
 * and the caller wanted to wait, the real function waits, traced. */
static long do_wait(struct sb_hdr *h, struct sb_frame *f, long nr)
{
	long *a = f->a;
	long n = a[1 + (nr == SYS_epoll_wait)];
	size_t unit = nr == SYS_epoll_wait ? 12 : 8;   /* packed epoll_event, pollfd */
	if (n < 0 || (size_t)n * unit > SB_MAX_PAYLOAD)
		return fallback(f);
	long timeout = nr == SYS_epoll_wait ? (int)a[3] : (int)a[2];
	uint64_t hash = hash_args(nr, a, nr == SYS_epoll_wait ? 4 : 3);
	if (nr == SYS_poll)
		hash = hash_more(hash, (const void *)a[0], (size_t)n * unit);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash, (uint64_t)a[0], (size_t)n * unit);
	long r = nr == SYS_epoll_wait ? op_call(&o, nr, a[0], a[1], a[2], 0, 0, 0)
	                              : op_call(&o, nr, a[0], a[1], 0, 0, 0, 0);
	if (r == 0 && timeout != 0) {
		op_end(&o);
		return fallback(f);
	}
	if (r >= 0)
		op_copy(&o, (void *)a[nr == SYS_epoll_wait], nr == SYS_poll ? (size_t)n * unit
		                                                          : (size_t)r * unit);
	op_end(&o);
	return result(r);
}

static long dispatch(struct sb_hdr *h, struct sb_frame *f);

/* Calls on the process's own kernel state (its break, signal actions and
 * mask): made in-process when recording and again when replaying, where
 * the result must be the recorded one.  The record keeps the arguments
 * and the sb_rec_reexec_in(nr) bytes at args[1] (sbuf.h says why), and
 * `out` bytes at args[out_arg]. */
static long reexec(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg, size_t out)
{
	struct op o;
	size_t in = a[1] ? sb_rec_reexec_in((uint32_t)nr) : 0;
	uint64_t hash = hash_more(hash_args(nr, a, nargs), (const void *)a[1], in);
	op_begin(&o, h, (uint32_t)nr, hash, (uint64_t)a[0], (size_t)nargs * 8 + in + out);
	op_in(&o, a, (size_t)nargs * 8);
	op_in(&o, (const void *)a[1], in);
	long r = untraced(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (op_value(&o, r) != r)
		diverge(h, (uint32_t)nr, hash, o.rec);
	if (r >= 0 && out && a[out_arg])
		op_copy(&o, (void *)a[out_arg], out);
	op_end(&o);
	return r;
}

/* Private anonymous memory (malloc's large blocks, a compiler's heap):
 * mapped in-process, and on replay again at the address recorded. */
static long anon_map(struct sb_hdr *h, const long *a)
{
	struct op o;
	uint64_t hash = hash_args(SYS_mmap, a, 6);
	op_begin(&o, h, SYS_mmap, hash, (uint64_t)a[0], 6 * 8);
	op_in(&o, a, 6 * 8);
	long r = op_call(&o, SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (!recording(&o) && !(r < 0 && r > -4096) &&
	    untraced(SYS_mmap, r, a[1], a[2], a[3] | MAP_FIXED_NOREPLACE, -1, 0) != r)
		diverge(h, SYS_mmap, hash, o.rec);
	op_end(&o);
	return r;
}

/* An mmap anon_map can make: no address asked for, nothing shared. */
static bool plain_anon(const long *a)
{
	const long ok = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK | MAP_POPULATE;
	return a[0] == 0 && (a[3] & MAP_TYPE) == MAP_PRIVATE && (a[3] & MAP_ANONYMOUS) &&
	       !(a[3] & ~ok) && (int)a[4] == -1;    /* an int: upper half undefined */
}

/* A patched syscall site in libc (entry.S sb_raw_entry): raw result. */
HIDDEN long sb_raw_dispatch(struct sb_frame *f)
{
	struct sb_hdr *h = sb_slot;
	const long *a = f->a;
	long ret;
	switch (f->idx) {
	case SYS_rt_sigaction:       /* act and oact: struct kernel_sigaction */
		if (a[3] != 8)
			goto traced;
		ret = reexec(h, a, SYS_rt_sigaction, 4, 2, 32);
		break;
	case SYS_rt_sigprocmask:
		if (a[3] != 8)
			goto traced;
		ret = reexec(h, a, SYS_rt_sigprocmask, 4, 2, 8);
		break;
	case SYS_brk:
		ret = reexec(h, a, SYS_brk, 1, 0, 0);
		break;
	case SYS_mmap:
		if (!plain_anon(a))
			goto traced;
		ret = anon_map(h, a);
		break;
	/* Reads of the process's or the system's state that never wait. */
	case SYS_getcwd:
		if ((size_t)a[1] > 4096)
			goto traced;
		ret = simple_ret(h, a, SYS_getcwd, 2, 0, (size_t)a[1]);
		break;
	case SYS_getrandom:         /* waits only before the kernel's pool is ready */
		if ((size_t)a[1] > 4096)
			goto traced;
		ret = simple_ret(h, a, SYS_getrandom, 3, 0, (size_t)a[1]);
		break;
	case SYS_sysinfo:
		ret = simple(h, a, SYS_sysinfo, 1, 0, sizeof(struct sysinfo));
		break;
	case SYS_ioctl: {           /* tcgetattr (isatty), the window size */
		size_t out = ioctl_get_size((unsigned long)a[1]);
		if (!out)
			goto traced;
		ret = simple(h, a, SYS_ioctl, 3, 2, out);
		break;
	}
	case SYS_prlimit64:         /* getrlimit: reading only */
		if (a[2])
			goto traced;
		ret = simple(h, a, SYS_prlimit64, 4, 3, 16);
		break;
	case SYS_close: {
		/* Inline closes (closedir, posix_spawn's child...). */
		fd_forget(a[0]);
		ret = simple(h, a, SYS_close, 1, 0, 0);
		break;
	}
	case SYS_dup2:
	case SYS_dup3:
		fd_forget(a[1]);
		goto traced;
	case SYS_futex: {
		/* A wake-up never waits; replay answers it (the woken thread's
		 * wait is answered in the recorded order anyway). */
		int op = (int)a[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
		if (op != FUTEX_WAKE && op != FUTEX_WAKE_BITSET)
			goto traced;
		ret = simple(h, a, SYS_futex, 3, 0, 0);
		break;
	}
	default:
	traced:
		f->fallback = 1;
		return 0;
	}
	f->fallback = sync_point(h);
	return ret;
}

/* ---- calls on a path ----------------------------------------------------- */

static size_t path_len(const char *p)
{
	size_t n = 0;
	while (p[n] && n < 4095)
		n++;
	return n;
}

/* A path call that never waits: nr with args (the path at args[pa]);
 * `out` bytes at args[oa] on success, or the result's count of them
 * when out_is_ret (readlink).  The record keeps the path, then the out
 * bytes. */
static long path_call(struct sb_hdr *h, const long *args, long nr, int nargs, int pa, int oa,
                      size_t out, bool out_is_ret)
{
	const char *path = (const char *)args[pa];
	size_t plen = path ? path_len(path) + 1 : 0;
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash_more(hash_args(nr, args, nargs), path, plen),
	         (uint64_t)args[0], plen + out);
	long r = op_call(&o, nr, args[0], args[1], args[2], args[3], args[4], args[5]);
	op_in(&o, path, plen);
	if (r >= 0 && oa >= 0)
		op_copy(&o, (void *)args[oa], out_is_ret ? MIN((size_t)r, out) : out);
	op_end(&o);
	return result(r);
}

/* Would opening this path wait (a FIFO, a tty, a device)?  Recorded as a
 * pseudo-call so replay decides the same. */
static bool open_waits(struct sb_hdr *h, long dirfd, const char *path, long flags)
{
	struct op o;
	op_begin(&o, h, SB_REC_OPENKIND, hash_more(0, path, path ? path_len(path) : 0),
	         (uint64_t)dirfd, 0);
	long k = 0;
	if (recording(&o) && !(flags & (O_NONBLOCK | O_PATH))) {
		struct stat st;
		long r = untraced(SYS_newfstatat, dirfd, (long)path, (long)&st,
		                  (flags & O_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0, 0, 0);
		if (r == 0)
			k = !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) ||
			      (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1));
		else
			k = r != -ENOENT;    /* missing: fails or creates a file */
	}
	k = op_value(&o, k);
	op_end(&o);
	return k != 0;
}

static long do_open(struct sb_hdr *h, struct sb_frame *f, long dirfd, const char *path,
                    long flags, long mode)
{
	if (!path || open_waits(h, dirfd, path, flags))
		return fallback(f);
	long args[6] = { dirfd, (long)path, flags, (flags & (O_CREAT | O_TMPFILE)) ? mode : 0 };
	return path_call(h, args, SYS_openat, 4, 1, -1, 0, false);
}

/* fcntl: the descriptor-flag commands; locks may wait, so traced. */
static long do_fcntl(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	if ((int)a[1] == F_SETFL)
		fd_forget_all();
	switch ((int)a[1]) {
	case F_GETFD: case F_SETFD: case F_GETFL: case F_SETFL: case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return do_simple(h, f, SYS_fcntl, 3, 0, 0);
	}
	return fallback(f);
}

/* accept, accept4 on a non-blocking socket (a server's event loop). */
static long do_accept(struct sb_hdr *h, struct sb_frame *f, long nr)
{
	long *a = f->a;
	socklen_t *alen = a[1] ? (socklen_t *)a[2] : NULL;
	size_t room = alen ? *alen : 0;
	if (room > 128 || fd_kind(h, (int)a[0]) != SB_FD_PLAIN)
		return fallback(f);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash_args(nr, a, nr == SYS_accept4 ? 4 : 3), (uint64_t)a[0],
	         sizeof(*alen) + room);
	long r = op_call(&o, nr, a[0], a[1], a[2], nr == SYS_accept4 ? a[3] : 0, 0, 0);
	if (r >= 0 && alen) {
		op_copy(&o, alen, sizeof(*alen));
		op_copy(&o, (void *)a[1], MIN((size_t)*alen, room));
	}
	op_end(&o);
	return result(r);
}

static long do_stat(struct sb_hdr *h, long dirfd, long path, long st, long flags)
{
	long args[6] = { dirfd, path, st, flags };
	return path_call(h, args, SYS_newfstatat, 4, 1, 2, sizeof(struct stat), false);
}

/* Called by entry.S on the private stack. */
HIDDEN long sb_dispatch(struct sb_frame *f)
{
	struct sb_hdr *h = sb_slot;
	long ret = dispatch(h, f);
	if (!f->fallback)
		f->fallback = sync_point(h);
	return ret;
}

static long dispatch(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	switch (f->idx) {
	case IX___read_chk:
		if ((size_t)a[2] > (size_t)a[3])
			return fallback(f);     /* the real one reports the overflow */
		return do_recv(h, f, SYS_read, 3);
	case IX_read:       return do_recv(h, f, SYS_read, 3);
	case IX_recv:
		a[4] = a[5] = 0;
		return do_recv(h, f, SYS_recvfrom, 4);
	case IX_recvfrom:   return do_recv(h, f, SYS_recvfrom, 6);
	case IX_readv:      return do_readv(h, f);
	case IX_pread64:
	case IX_pread:      return do_pread(h, f);
	case IX_write:      return do_write(h, f, SYS_write, 3);
	case IX_pwrite64:
	case IX_pwrite:     return do_write(h, f, SYS_pwrite64, 4);
	case IX_send:
		a[4] = a[5] = 0;
		return do_write(h, f, SYS_sendto, 4);
	case IX_sendto:     return do_write(h, f, SYS_sendto, 6);
	case IX_writev:     return do_writev(h, f);
	case IX_lseek:
	case IX_lseek64:    return do_simple(h, f, SYS_lseek, 3, 0, 0);
	case IX_close:
		fd_forget(a[0]);
		return do_simple(h, f, SYS_close, 1, 0, 0);
	case IX_fstat:
	case IX_fstat64:    return do_simple(h, f, SYS_fstat, 2, 1, sizeof(struct stat));
	case IX_clock_gettime: return do_simple(h, f, SYS_clock_gettime, 2, 1, 16);
	case IX_gettimeofday:  return do_gettimeofday(h, f);
	case IX_time:       return do_time(h, f);
	case IX_getpid:     return do_simple(h, f, SYS_getpid, 0, 0, 0);
	case IX_getppid:    return do_simple(h, f, SYS_getppid, 0, 0, 0);
	case IX_gettid:     return do_simple(h, f, SYS_gettid, 0, 0, 0);
	case IX_getuid:     return do_simple(h, f, SYS_getuid, 0, 0, 0);
	case IX_geteuid:    return do_simple(h, f, SYS_geteuid, 0, 0, 0);
	case IX_getgid:     return do_simple(h, f, SYS_getgid, 0, 0, 0);
	case IX_getegid:    return do_simple(h, f, SYS_getegid, 0, 0, 0);
	case IX_epoll_wait: return do_wait(h, f, SYS_epoll_wait);
	case IX_poll:       return do_wait(h, f, SYS_poll);
	case IX_stat:
	case IX_stat64:     return do_stat(h, AT_FDCWD, a[0], a[1], 0);
	case IX_lstat:
	case IX_lstat64:    return do_stat(h, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
	case IX_fstatat:
	case IX_fstatat64:  return do_stat(h, a[0], a[1], a[2], a[3]);
	case IX_statx:      return path_call(h, a, SYS_statx, 5, 1, 4, 256, false);
	case IX_execve: {
		/* execvp and posix_spawnp try each directory of PATH, and most
		 * tries name no file: a buffered stat answers those (execve
		 * fails the same way on a path that does not resolve), the
		 * others are traced. */
		struct stat st;
		long r = do_stat(h, AT_FDCWD, a[0], (long)&st, 0);
		if (r < 0 && (errno == ENOENT || errno == ENOTDIR))
			return -1;
		return fallback(f);
	}
	case IX_access: {
		long args[6] = { AT_FDCWD, a[0], a[1] };
		return path_call(h, args, SYS_faccessat, 3, 1, -1, 0, false);
	}
	case IX_faccessat: {
		long args[6] = { a[0], a[1], a[2], a[3] };
		return path_call(h, args, a[3] ? SYS_faccessat2 : SYS_faccessat, a[3] ? 4 : 3, 1, -1,
		                 0, false);
	}
	case IX_readlink: {
		long args[6] = { AT_FDCWD, a[0], a[1], a[2] };
		if ((size_t)a[2] > SB_MAX_PAYLOAD)
			return fallback(f);
		return path_call(h, args, SYS_readlinkat, 4, 1, 2, (size_t)a[2], true);
	}
	case IX_readlinkat:
		if ((size_t)a[3] > SB_MAX_PAYLOAD)
			return fallback(f);
		return path_call(h, a, SYS_readlinkat, 4, 1, 2, (size_t)a[3], true);
	case IX_open:
	case IX_open64:     return do_open(h, f, AT_FDCWD, (const char *)a[0], a[1], a[2]);
	case IX___open_2:
	case IX___open64_2: return do_open(h, f, AT_FDCWD, (const char *)a[0], a[1], 0);
	case IX_openat:
	case IX_openat64:   return do_open(h, f, a[0], (const char *)a[1], a[2], a[3]);
	case IX_fcntl:
	case IX_fcntl64:    return do_fcntl(h, f);
	case IX___open_nocancel:
	case IX___open64_nocancel:
		return do_open(h, f, AT_FDCWD, (const char *)a[0], a[1], a[2]);
	case IX___read_nocancel:  return do_recv(h, f, SYS_read, 3);
	case IX___write_nocancel: return do_write(h, f, SYS_write, 3);
	case IX___close_nocancel:
		fd_forget(a[0]);
		return do_simple(h, f, SYS_close, 1, 0, 0);
	case IX___pread64_nocancel: return do_pread(h, f);
	case IX_getdents64:       return do_getdents(h, f);
	case IX_copy_file_range:  return do_copy_range(h, f);
	case IX_posix_fadvise:
	case IX_posix_fadvise64:  /* returns the error number itself (no errno) */
		return -simple(h, a, SYS_fadvise64, 4, 0, 0);
	case IX_ioctl:            return do_ioctl(h, f);
	case IX_madvise:          return result(reexec(h, a, SYS_madvise, 3, 0, 0));
	case IX_dup2:
	case IX_dup3:
		fd_forget(a[1]);          /* replaced: traced as before */
		return fallback(f);
	case IX_close_range:
		fd_forget_all();
		return fallback(f);
	case IX_syscall:
		/* syscall(2) with a number that closes or replaces descriptors:
		 * forget what we knew of them; the call itself is traced. */
		if (a[0] == SYS_close)
			fd_forget(a[1]);
		else if (a[0] == SYS_dup2 || a[0] == SYS_dup3)
			fd_forget(a[2]);
		else if (a[0] == SYS_close_range)
			fd_forget_all();
		return fallback(f);
	case IX_accept:     return do_accept(h, f, SYS_accept);
	case IX_accept4:    return do_accept(h, f, SYS_accept4);
	}
	return fallback(f);
}

/* ---- start-up ------------------------------------------------------------ */

static long missing(void)
{
	errno = ENOSYS;
	return -1;
}

/* Find the real functions (also called by entry.S when a wrapper runs
 * before our constructor, from another library's). */
HIDDEN void sb_resolve(void)
{
	for (int i = 0; i < NWRAPPED; i++)
		if (!sb_real[i]) {
			void *p = dlsym(RTLD_NEXT, wrapped_names[i]);
			sb_real[i] = p ? p : (void *)missing;
		}
}

extern void *const sb_ours[NWRAPPED];   /* entry.S */

/* The executable segment of the object that holds `in` (libc), and
 * whether that object is libc. */
struct text {
	const void *in;
	void *start;
	size_t len;
	bool libc;
};

static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
	struct text *t = data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && (uintptr_t)t->in >= a &&
		    (uintptr_t)t->in < a + ph->p_memsz) {
			t->start = (void *)a;
			t->len = ph->p_memsz;
			t->libc = info->dlpi_name && strstr(info->dlpi_name, "/libc.so");
			return 1;
		}
	}
	return 0;
}
HIDDEN void sb_init_thread(void);

/* Under scribe (record or replay alike): also catch libc's own calls. */
static void patch_libc(void)
{
	/* Which wrapped functions libc defines: those in its text.  (dladdr
	 * per function searched libc's whole symbol table each time: 70 ms
	 * of CPU in a make of 128 processes.) */
	struct text lt = { sb_real[IX_read], NULL, 0, false };    /* before it points elsewhere */
	dl_iterate_phdr(find_text, &lt);
	bool in_libc[NWRAPPED];
	for (int i = 0; i < NWRAPPED; i++)
		in_libc[i] = lt.libc && sb_real[i] != (void *)missing &&
		             (uintptr_t)sb_real[i] - (uintptr_t)lt.start < lt.len;
	if (!sb_patch_begin())
		return;
	sb_patch(sb_real, sb_ours, in_libc, NWRAPPED);
	/* Calls made inline all over libc, by the score in every process:
	 * signal actions and masks, the heap's break, futex wake-ups,
	 * closes; and the start-up queries (anonymous maps, getcwd,
	 * getrandom, sysinfo, getrlimit, isatty) a compiler makes. */
	static const int nrs[] = { SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_brk, SYS_futex,
	                           SYS_close, SYS_dup2, SYS_dup3, SYS_mmap, SYS_getcwd,
	                           SYS_getrandom, SYS_sysinfo, SYS_prlimit64, SYS_ioctl };
	if (lt.libc)
		sb_patch_sites(lt.start, lt.len, nrs, (int)(sizeof(nrs) / sizeof(nrs[0])));
	sb_patch_end();
}

__attribute__((constructor)) static void sb_init(void)
{
	sb_resolve();
	if (!sb_slot)
		sb_init_thread();
	if ((uintptr_t)sb_slot > 1 && sb_slot->mode != SB_OFF)
		patch_libc();
}

/* A thread's first wrapped call: map a slot and tell the tracer where.
 * Run on the program's stack, the same way recording and replaying (the
 * tracer answers both calls from the trace on replay). */
HIDDEN void sb_init_thread(void)
{
	struct sb_hdr *h = (struct sb_hdr *)1;     /* none: always call libc */
	if (!sb_real[0])
		sb_resolve();
	for (;;) {
		int i = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED);
		if (i >= SB_NSLOTS)
			break;
		long addr = (long)(SB_AREA_BASE + (unsigned long)i * SB_SLOT_SIZE);
		long p = traced(SYS_mmap, addr, SB_SLOT_SIZE, PROT_READ | PROT_WRITE,
		                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE,
		                -1, 0);
		if (p == -EEXIST)
			continue;                 /* a slot inherited across fork */
		if (p != addr)
			break;
		traced(SB_SYS_REGISTER, addr, 0, 0, 0, 0, 0);
		h = (struct sb_hdr *)addr;
		break;
	}
	sb_slot = h;
}
