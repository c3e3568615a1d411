/* record_buffer.c -- the recorder's side of the syscall buffer.
 *
 * The preload library logs the calls it makes itself in the task's slot
 * (preload/sbuf.h).  Those records become one EV_BUF event, written just
 * before the next event of that task: replay puts them back into the slot
 * when the task is resumed after its previous event, so they must sit
 * between the two in the stream.  Stops that write no event for the task
 * (a signal held for later, a preemption probe that gave up) leave the
 * buffer alone.  While the library is inside a call (in_call), signals
 * wait and the task is not preempted: the state there differs between
 * record and replay by design. */
#include "record/record_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/slot.h"

/* ---- reads kept by reference (sbuf.h, SB_REC_FILE) ---------------------- */

/* The file a flush's reads came from.  A descriptor's file is the one an
 * open earlier in the same batch gave it (its path), else the one it has
 * now (/proc/TID/fd/N): within a batch a buffered close and open may have
 * given the number to another file since.  A wrong guess costs only the reference, never
 * the bytes: cmp is open on the trace's copy (or link) files/HASH, and
 * the bytes must equal it, not the live file, which may have changed
 * since it was stored. */
struct refsrc {
	long tfd;                /* the task's descriptor, or -1 */
	const uint8_t *opened;   /* the batch's open that gave it, or NULL */
	int cmp;                 /* files/HASH, or -1 */
	uint64_t hash;
};

static void ref_close(struct refsrc *src)
{
	if (src->cmp >= 0)
		close(src->cmp);
	src->cmp = -1;
}

/* Store the regular file at path (if it is one the trace may refer to)
 * and open the trace's copy of it. */
static bool ref_store(struct recorder *r, const char *path, struct refsrc *src)
{
	struct stat st;
	int fd = -1;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||   /* opening a device may act */
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return false;
	pthread_mutex_lock(&r->mu);
	/* Storing a system file hashes all of it: not for a few reads of a
	 * big one. */
	int rc = files_store_known(r->files, fd, 16 << 20, &src->hash);
	pthread_mutex_unlock(&r->mu);
	close(fd);
	if (rc < 0)
		return false;
	char name[20];
	char *copy = files_path(r->opts->dir, files_name(src->hash, name));
	src->cmp = open(copy, O_RDONLY | O_CLOEXEC);
	free(copy);
	return src->cmp >= 0;
}

static bool ref_open(struct recorder *r, struct task *t, long tfd, const uint8_t *opened,
                     size_t opened_len, struct refsrc *src)
{
	if (src->tfd == tfd && src->opened == opened)
		return src->cmp >= 0;
	ref_close(src);
	src->tfd = tfd;
	src->opened = opened;
	char path[PATH_MAX + 64];
	if (opened) {
		size_t n = strnlen((const char *)opened, opened_len);
		if (n == opened_len || n >= PATH_MAX)
			return false;
		if (opened[0] == '/')
			snprintf(path, sizeof(path), "%s", (const char *)opened);
		else
			snprintf(path, sizeof(path), "/proc/%d/cwd/%s", t->tid, (const char *)opened);
		return ref_store(r, path, src);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", t->tid, tfd);
	return ref_store(r, path, src);
}

/* The stored file the task's previous reads of tfd were, if any. */
static bool ref_previous(struct recorder *r, struct task *t, long tfd, struct refsrc *src)
{
	if (!t->ref_hash || t->ref_fd != tfd || (src->cmp >= 0 && src->hash == t->ref_hash))
		return false;            /* nothing to go on, or tried already */
	ref_close(src);
	src->hash = t->ref_hash;     /* what tfd means in the rest of the batch */
	char name[20];
	char *copy = files_path(r->opts->dir, files_name(src->hash, name));
	src->cmp = open(copy, O_RDONLY | O_CLOEXEC);
	free(copy);
	return src->cmp >= 0;
}

/* Do the n bytes at data equal the stored file's at off? */
static bool ref_matches(struct refsrc *src, const uint8_t *data, uint64_t n, uint64_t off)
{
	static __thread struct buf have;
	buf_reserve(&have, n);
	return pread(src->cmp, have.p, n, (off_t)off) == (ssize_t)n && !memcmp(have.p, data, n);
}

/* Rewrite the batch for the trace: each read that carries its offset
 * becomes a reference when its bytes are the stored file's there, or
 * loses the offset otherwise. */
static void refs_make(struct recorder *r, struct task *t, const uint8_t *recs, uint32_t len,
                      struct buf *out)
{
	static const uint8_t pad[8];
	struct refsrc src = { .tfd = -1, .cmp = -1 };
	struct { long fd; const uint8_t *path; size_t len; } opens[32];
	int nopens = 0;
	out->len = 0;
	uint32_t off = 0;
	while (off + sizeof(struct sb_rec) <= len) {
		struct sb_rec rec;
		memcpy(&rec, recs + off, sizeof(rec));
		if (rec.size < sizeof(rec) || sb_rec_stride(rec.size) > len - off)
			break;                   /* the rest goes as it is */
		uint32_t stride = (uint32_t)sb_rec_stride(rec.size);
		const uint8_t *data = recs + off + sizeof(rec);
		uint64_t plen = rec.size - sizeof(rec), at;
		struct sb_fileref ref;
		if (rec.nr == SYS_openat && rec.ret >= 0 && (int)rec.arg0 == AT_FDCWD) {
			int i = 0;
			while (i < nopens && opens[i].fd != rec.ret)
				i++;
			if (i < 32) {
				opens[i].fd = rec.ret;
				opens[i].path = data;
				opens[i].len = plen;
				nopens += i == nopens;
			}
		}
		if ((rec.nr == SYS_read || rec.nr == SYS_pread64) && rec.ret >= SB_REF_MIN &&
		    plen == (uint64_t)rec.ret + sizeof(at)) {
			memcpy(&at, data + rec.ret, sizeof(at));
			plen = (uint64_t)rec.ret;
			int i = 0;
			while (i < nopens && opens[i].fd != (long)rec.arg0)
				i++;
			bool known = i < nopens;
			long fd = (long)rec.arg0;
			bool same = ref_open(r, t, fd, known ? opens[i].path : NULL,
			                     known ? opens[i].len : 0, &src) &&
			            ref_matches(&src, data, plen, at);
			if (!same && !known)
				same = ref_previous(r, t, fd, &src) && ref_matches(&src, data, plen, at);
			if (same) {
				t->ref_fd = fd;
				t->ref_hash = src.hash;
				ref = (struct sb_fileref){ src.hash, at };
				rec.nr |= SB_REC_FILE;
				data = (const uint8_t *)&ref;
				plen = sizeof(ref);
			}
			rec.size = (uint32_t)(sizeof(rec) + plen);
		}
		buf_put(out, &rec, sizeof(rec));
		buf_put(out, data, plen);
		buf_put(out, pad, sb_rec_stride(rec.size) - rec.size);
		off += stride;
	}
	buf_put(out, recs + off, len - off);
	ref_close(&src);
}

void rec_sb_flush(struct recorder *r, struct task *t)
{
	struct sb_hdr h;
	if (!t->sb || !slot_header(t, &h) || h.used == 0)
		return;
	if (h.used > SB_RECS_CAP)
		fatal("task %d: its syscall buffer says it holds %u bytes (at most %lu fit)",
		      t->tid, h.used, SB_RECS_CAP);
	static __thread struct buf recs;
	buf_reserve(&recs, h.used);
	if (task_read(t, t->sb + SB_RECS_OFF, recs.p, h.used) != (long)h.used)
		return;                      /* it died meanwhile */
	static __thread struct buf out;
	refs_make(r, t, recs.p, h.used, &out);
	struct event ev = { .type = EV_BUF, .tid = t->rec_tid };
	ev.buf.nrec = h.nrec;
	ev.buf.recs = (struct ev_bytes){ out.p, out.len };
	rec_emit(r, t, &ev);
	/* Inside a call the library is adding a record right now: it died
	 * or faulted there, so leave its counters as they are. */
	if (!h.in_call || (long)t->regs.orig_rax == SB_SYS_FLUSH)
		slot_empty(t);
}

void rec_sb_want_sync(struct task *t, bool on)
{
	slot_set(t, SLOT_FIELD(want_sync), on);
}

/* The device and inode of our stdout and stderr: writes to them stay
 * traced, so replay can show them again. */
void rec_sb_outputs(struct recorder *r)
{
	for (int fd = 1; fd <= 2; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0) {
			r->out_dev[fd - 1] = st.st_dev;
			r->out_ino[fd - 1] = st.st_ino;
		}
	}
}

/* One of the library's calls to scribe, at its seccomp stop. */
void rec_sb_call(struct recorder *r, struct task *t, long nr)
{
	long ret = 0;
	switch (nr) {
	case SB_SYS_REGISTER: {
		uint64_t addr = t->ev.sys.args[0];
		if (addr < SB_AREA_BASE || addr >= SB_AREA_END || (addr - SB_AREA_BASE) % SB_SLOT_SIZE) {
			ret = -EINVAL;
			break;
		}
		struct sb_hdr h = { .magic = SB_MAGIC, .mode = r->opts->buffer ? SB_RECORD : SB_OFF,
		                    .out_dev = { r->out_dev[0], r->out_dev[1] },
		                    .out_ino = { r->out_ino[0], r->out_ino[1] } };
		t->sb = addr;
		if (task_write(t, addr, &h, sizeof(h)) < 0) {
			t->sb = 0;
			ret = -EFAULT;
			break;
		}
		ret = h.mode;
		break;
	}
	case SB_SYS_SYNC:
		rec_sb_want_sync(t, false);
		break;
	case SB_SYS_FLUSH:
		break;                       /* rec_sb_flush emptied it at this stop */
	default:
		ret = -ENOSYS;               /* only replay reports differences */
	}
	rec_answer(r, t, ret);
}
