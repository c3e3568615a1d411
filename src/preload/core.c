/* core.c -- make or answer one buffered call (core.h). */
#include "preload/core.h"

#include <errno.h>      /* the numbers only: core.c never sets errno */
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#define XXH_INLINE_ALL
#define XXH_VECTOR 0            /* XXH_SCALAR: no vector registers */
#include <xxhash.h>

#include "preload/raw.h"

/* ---- system calls ------------------------------------------------------ */

static void copy_bytes(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* ---- one buffered call ------------------------------------------------- */


uint8_t *sb_records(struct sb_hdr *h) { return (uint8_t *)h + SB_RECS_OFF; }
int sb_recording(const struct op *o) { return o->h->mode == SB_RECORD; }

_Noreturn void sb_diverge(struct sb_hdr *h, uint32_t nr, uint64_t hash,
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
void op_begin(struct op *o, struct sb_hdr *h, uint32_t nr, uint64_t hash, uint64_t arg0,
                     size_t payload)
{
	o->h = h;
	if (h->mode == SB_RECORD) {
		if (nr != SB_REC_SYNC &&
		    h->used + sb_rec_size(payload) + sizeof(struct sb_rec) > SB_RECS_CAP)
			traced(SB_SYS_FLUSH, 0, 0, 0, 0, 0, 0);
		o->rec = (struct sb_rec *)(sb_records(h) + h->used);
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
	struct sb_rec *r = (struct sb_rec *)(sb_records(h) + h->used);
	if (h->used >= h->limit || h->limit - h->used < sizeof(*r) || r->size < sizeof(*r) ||
	    sb_rec_stride(r->size) > h->limit - h->used)
		sb_diverge(h, nr, hash, NULL);
	if (r->nr != nr || r->hash != hash)
		sb_diverge(h, nr, hash, r);
	o->rec = r;
	o->p = (uint8_t *)(r + 1);
	o->end = (uint8_t *)r + r->size;
}

/* The call's result: made now (recording) or the recorded one. */
long op_call(struct op *o, long nr, long a, long b, long c, long d, long e, long f)
{
	if (sb_recording(o))
		o->rec->ret = untraced(nr, a, b, c, d, e, f);
	return o->rec->ret;
}

/* A value learned from the kernel some other way (recording only). */
long op_value(struct op *o, long v)
{
	if (sb_recording(o))
		o->rec->ret = v;
	return o->rec->ret;
}

/* Memory the call wrote: into the record, or back from it. */
void op_copy(struct op *o, void *user, size_t len)
{
	if (!user || !len)
		return;
	if ((size_t)(o->end - o->p) < len)
		len = (size_t)(o->end - o->p);
	if (sb_recording(o))
		copy_bytes(o->p, user, len);
	else
		copy_bytes(user, o->p, len);
	o->p += len;
}

/* Bytes the call was given (a path): kept in the record for dump and
 * skipped on replay (the hash already covers them). */
void op_in(struct op *o, const void *user, size_t len)
{
	if ((size_t)(o->end - o->p) < len)
		len = (size_t)(o->end - o->p);
	if (sb_recording(o))
		copy_bytes(o->p, user, len);
	o->p += len;
}

void op_end(struct op *o)
{
	struct sb_hdr *h = o->h;
	if (sb_recording(o))
		o->rec->size = (uint32_t)(o->p - (uint8_t *)o->rec);
	h->used += (uint32_t)sb_rec_stride(o->rec->size);
	h->nrec++;
}

/* Replaying: the number of the record the next call will read (0: none
 * left), refilling an empty buffer first as op_begin would. */
uint32_t sb_peek(struct sb_hdr *h)
{
	if (h->used >= h->limit)
		traced(SB_SYS_FLUSH, 0, 0, 0, 0, 0, 0);
	if (h->used >= h->limit || h->limit - h->used < sizeof(struct sb_rec))
		return 0;
	return ((const struct sb_rec *)(sb_records(h) + h->used))->nr;
}

/* After an answered call: the tracer holds a signal for this thread and
 * wants a stop to deliver it.  Recording, the request is noted as an
 * SB_REC_SYNC record (there is always room for one); replaying, that
 * record says to stop at the same place.  Returns the frame's answer
 * code: 2 = answered, then stop. */
long sb_sync_point(struct sb_hdr *h)
{
	struct op o;
	if (h->mode == SB_RECORD) {
		if (!h->want_sync)
			return 0;
	} else {
		const struct sb_rec *next = (const struct sb_rec *)(sb_records(h) + h->used);
		if (h->used >= h->limit || next->nr != SB_REC_SYNC)
			return 0;
	}
	op_begin(&o, h, SB_REC_SYNC, 0, 0, 0);
	op_end(&o);
	return 2;
}

/* ---- deciding how to make a call ---------------------------------------- */

uint64_t hash_args(long nr, const long *a, int n)
{
	return XXH3_64bits_withSeed(a, (size_t)n * sizeof(long), (uint64_t)nr);
}

uint64_t hash_more(uint64_t h, const void *p, size_t len)
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
               SB_REFS_OFF + sizeof(struct ref_state) <= SB_SHARED_OFF &&
               SB_SHARED_OFF + SB_SHARED_FDS * sizeof(struct sb_shared_fd) <= SB_RECS_OFF,
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

/* Is fd the very open file that is the recorder's descriptor `ours`?  Not
 * just the same device: when scribe's output is /dev/null, a program's
 * own /dev/null must not make every write a stop.  When kcmp cannot tell
 * (another user's recorder, an old header), assume it is. */
static bool is_scribe_output(const struct sb_hdr *h, int fd, int ours)
{
	if (!h->out_pid)
		return true;
	long me = untraced(SYS_getpid, 0, 0, 0, 0, 0, 0);
	if (h->out_fd[ours - 1])
		ours = h->out_fd[ours - 1];
	return untraced(SYS_kcmp, me, h->out_pid, KCMP_FILE, fd, ours, 0) <= 0;
}

static long probe_fd(struct sb_hdr *h, int fd)
{
	struct stat st;
	if (untraced(SYS_fstat, fd, (long)&st, 0, 0, 0, 0) < 0)
		return SB_FD_BAD;                   /* the call fails at once */
	ref_probe(h, fd, &st);
	for (int i = 0; i < 2; i++)
		if (h->out_ino[i] && st.st_ino == h->out_ino[i] && st.st_dev == h->out_dev[i] &&
		    is_scribe_output(h, fd, i + 1))
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

/* Each descriptor's epoch: the library bumps it when it sees the
 * descriptor closed or replaced (fd_forget), on replay too, so this
 * memory is the same in both runs. */
static uint32_t fd_epoch[SB_SHARED_FDS];

void fd_forget(long fd)
{
	if (fd >= 0 && fd < FD_CACHE)
		fd_cache[fd] = 0;
	if (fd >= 0 && fd < SB_SHARED_FDS)
		fd_epoch[fd]++;
}

void fd_forget_all(void)
{
	for (int i = 0; i < FD_CACHE; i++)
		fd_cache[i] = 0;
	for (int i = 0; i < SB_SHARED_FDS; i++)
		fd_epoch[i]++;
}

long fd_kind(struct sb_hdr *h, int fd)
{
	if (fd >= 0 && fd < FD_CACHE && fd_cache[fd])
		return fd_cache[fd] - 1;
	struct op o;
	op_begin(&o, h, SB_REC_FDKIND, (uint64_t)fd, (uint64_t)fd, 0);
	long k = op_value(&o, sb_recording(&o) ? probe_fd(h, fd) : 0);
	if (k != SB_FD_BAD && fd >= 0 && fd < FD_CACHE)
		fd_cache[fd] = (uint8_t)(k + 1);
	op_end(&o);
	return k;
}



/* Recording: is fd a file mapped shared somewhere in the recording?  An
 * fstat per write costs as much as the write, so the answer is kept per
 * descriptor in the slot (SB_SHARED_OFF). */
static bool shared_file(struct sb_hdr *h, int fd)
{
	struct stat st;
	if (!h->shared_n)
		return false;
	struct sb_shared_fd *c = NULL;
	if (fd >= 0 && fd < SB_SHARED_FDS) {
		c = (struct sb_shared_fd *)((uint8_t *)h + SB_SHARED_OFF) + fd;
		if (c->epoch == fd_epoch[fd] && c->n_shared >> 1 == h->shared_n)
			return c->n_shared & 1;
	}
	bool shared = false;
	if (untraced(SYS_fstat, fd, (long)&st, 0, 0, 0, 0) == 0 && S_ISREG(st.st_mode)) {
		shared = h->shared_n > SB_SHARED_MAX;
		for (uint32_t i = 0; i < h->shared_n && !shared; i++)
			shared = h->shared_ino[i] == st.st_ino && h->shared_dev[i] == st.st_dev;
	}
	if (c)
		*c = (struct sb_shared_fd){ fd_epoch[fd], h->shared_n << 1 | shared };
	return shared;
}

bool op_shared_write(struct op *o, int fd)
{
	if (sb_recording(o)) {
		if (!shared_file(o->h, fd))
			return false;
		o->rec->ret = SB_RET_TRACED;
	} else if (o->rec->ret != SB_RET_TRACED) {
		return false;
	}
	op_end(o);
	return true;
}

long sb_fallback(struct sb_frame *f)
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
	if (!sb_recording(o) || r < SB_REF_MIN || (size_t)(o->end - o->p) < sizeof(uint64_t) ||
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
long sb_recv(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs)
{
	long *a = f->a;
	int fd = (int)a[0];
	size_t n = (size_t)a[2];
	long flags = nr == SYS_recvfrom ? a[3] : 0;
	socklen_t *alen = nr == SYS_recvfrom && a[4] ? (socklen_t *)a[5] : NULL;
	size_t addr_room = alen ? *alen : 0;
	if (n > SB_MAX_PAYLOAD || addr_room > 128)
		return sb_fallback(f);
	long k = fd_kind(h, fd);
	if (k == SB_FD_TRACED)
		return sb_fallback(f);
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
		return sb_fallback(f);
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
	return r;
}



/* pread64: files only (anything else is ESPIPE or may wait). */
long sb_pread(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	size_t n = (size_t)a[2];
	if (n > SB_MAX_PAYLOAD || fd_kind(h, (int)a[0]) != SB_FD_PLAIN)
		return sb_fallback(f);
	struct op o;
	op_begin(&o, h, SYS_pread64, hash_args(SYS_pread64, a, 4), (uint64_t)a[0],
	         n + sizeof(uint64_t));
	long r = op_call(&o, SYS_pread64, a[0], a[1], a[2], a[3], 0, 0);
	if (r > 0)
		op_copy(&o, (void *)a[1], MIN((size_t)r, n));
	file_offset(&o, (int)a[0], r, a[3]);
	op_end(&o);
	return r;
}



/* Calls that never wait and write `out` bytes at args[out_arg] on success
 * (0 for none): lseek, close, fstat, clock_gettime, the identity calls. */
long sb_simple(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg, size_t out)
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
long sb_simple_ret(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg,
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


/* ---- calls on a path ----------------------------------------------------- */

size_t path_len(const char *p)
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
long path_call(struct sb_hdr *h, const long *args, long nr, int nargs, int pa, int oa,
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
	return r;
}

/* Would opening this path wait (a FIFO, a tty, a device)?  Recorded as a
 * pseudo-call so replay decides the same. */
static bool open_waits(struct sb_hdr *h, long dirfd, const char *path, long flags)
{
	struct op o;
	op_begin(&o, h, SB_REC_OPENKIND, hash_more(0, path, path ? path_len(path) : 0),
	         (uint64_t)dirfd, 0);
	long k = 0;
	if (sb_recording(&o) && !(flags & (O_NONBLOCK | O_PATH))) {
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

long sb_open(struct sb_hdr *h, struct sb_frame *f, long dirfd, const char *path,
                    long flags, long mode)
{
	if (!path || open_waits(h, dirfd, path, flags))
		return sb_fallback(f);
	long args[6] = { dirfd, (long)path, flags, (flags & (O_CREAT | O_TMPFILE)) ? mode : 0 };
	return path_call(h, args, SYS_openat, 4, 1, -1, 0, false);
}


/* ---- calls on the process's own kernel state ----------------------------- */

/* Calls on the process's own kernel state (its break, memory map, signal
 * actions and mask): made in-process when recording and again when
 * replaying, where the result must be the recorded one.  The record keeps
 * the arguments and the sb_rec_reexec_in(nr) bytes at args[1] (sbuf.h
 * says why), and `out` bytes at args[out_arg]. */
long sb_reexec(struct sb_hdr *h, const long *a, long nr, int nargs, int out_arg, size_t out)
{
	struct op o;
	size_t in = a[1] ? sb_rec_reexec_in((uint32_t)nr) : 0;
	uint64_t hash = hash_more(hash_args(nr, a, nargs), (const void *)a[1], in);
	op_begin(&o, h, (uint32_t)nr, hash, (uint64_t)a[0], (size_t)nargs * 8 + in + out);
	op_in(&o, a, (size_t)nargs * 8);
	op_in(&o, (const void *)a[1], in);
	long r = untraced(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (op_value(&o, r) != r)
		sb_diverge(h, (uint32_t)nr, hash, o.rec);
	if (r >= 0 && out && a[out_arg])
		op_copy(&o, (void *)a[out_arg], out);
	op_end(&o);
	return r;
}

/* Private anonymous memory (malloc's large blocks, a compiler's heap, the
 * loader's zero-filled segments): mapped in-process, and on replay again
 * at the address recorded (sb_remap_flags). */
long sb_anon_map(struct sb_hdr *h, const long *a)
{
	struct op o;
	uint64_t hash = hash_args(SYS_mmap, a, 6);
	op_begin(&o, h, SYS_mmap, hash, (uint64_t)a[0], 6 * 8);
	op_in(&o, a, 6 * 8);
	long r = op_call(&o, SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (!sb_recording(&o) && !raw_failed(r) &&
	    untraced(SYS_mmap, r, a[1], a[2], (long)sb_remap_flags((uint64_t)a[3]), -1, 0) != r)
		sb_diverge(h, SYS_mmap, hash, o.rec);
	op_end(&o);
	return r;
}

/* An mmap sb_anon_map can make: private, anonymous, and no address asked
 * for unless `fixed` allows MAP_FIXED. */
bool sb_anon_ok(const long *a, bool fixed)
{
	const long ok = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK | MAP_POPULATE |
	                (fixed ? MAP_FIXED : 0);
	return (a[0] == 0 || (fixed && (a[3] & MAP_FIXED))) &&
	       (a[3] & MAP_TYPE) == MAP_PRIVATE && (a[3] & MAP_ANONYMOUS) &&
	       !(a[3] & ~ok) && (int)a[4] == -1;    /* an int: upper half undefined */
}
