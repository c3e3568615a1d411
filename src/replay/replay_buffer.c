/* replay_buffer.c -- the replayer's side of the syscall buffer.
 *
 * When a task is let go after an event and its stream goes on with an
 * EV_BUF of its own, the records are written into its slot: the preload
 * library answers the program's calls from them, in order, without
 * entering the kernel.  At the task's next stop (the one that made the
 * recorder write them) it must have used every one of them; the slot is
 * then emptied.  A snapshot restore skips the slice that used them, and
 * makes the calls that changed the process's kernel state again. */
#include "replay/replay_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "core/files.h"
#include "core/page.h"
#include "core/ptrace.h"
#include "core/slot.h"
#include "syscalls/table.h"

/* ---- reads kept by reference (sbuf.h, SB_REC_FILE) ---------------------- */

/* The object HASH, checked and opened once per batch and file. */
static int ref_file(struct replayer *r, struct task *t, uint64_t hash, uint64_t *cur, int *fd)
{
	if (*fd >= 0 && *cur == hash)
		return *fd;
	if (*fd >= 0)
		close(*fd);
	*cur = hash;
	if (files_verify(r->files, hash) < 0)
		fatal("%s", err_get());
	char *path = files_object(r->files, hash);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		rp_diverge(r, t, "%s, which buffered reads come from, cannot be opened: %s",
		           path, strerror(errno));
	free(path);
	return *fd;
}

/* A map of a file by the loader stub (sbuf.h SB_REC_MAP) as the stub
 * wants it: the arguments, then the path of the object, relative to the
 * task's working directory, the objects directory (as map_copy in
 * replay_syscall.c opens it). */
static void map_expand(struct replayer *r, struct task *t, const struct sb_rec *in,
                       const uint8_t *payload, struct buf *out)
{
	static const uint8_t pad[8];
	uint64_t map[7];
	if (in->size != sizeof(*in) + sizeof(map) || (in->nr & ~SB_REC_MAP) != SYS_mmap)
		rp_diverge(r, t, "a buffered map of a file in a form no recording writes "
		           "(corrupt trace)");
	memcpy(map, payload, sizeof(map));
	char path[24] = "";
	if (!sys_failed(in->ret)) {
		if (files_verify(r->files, map[6]) < 0)
			fatal("%s", err_get());
		snprintf(path, sizeof(path), "./%016llx", (unsigned long long)map[6]);
	}
	struct sb_rec rec = *in;
	rec.nr = SYS_mmap;
	rec.size = (uint32_t)(sizeof(rec) + 6 * 8 + strlen(path) + 1);
	buf_put(out, &rec, sizeof(rec));
	buf_put(out, map, 6 * 8);
	buf_put(out, path, strlen(path) + 1);
	buf_put(out, pad, sb_rec_stride(rec.size) - rec.size);
}

/* The batch as the library wants it: each reference replaced by the
 * bytes it names, each map of a file given its copy's path.  Returns recs
 * itself when it has none. */
static const uint8_t *refs_expand(struct replayer *r, struct task *t, const uint8_t *recs,
                                  uint32_t len, uint32_t *outlen)
{
	static const uint8_t pad[8];
	static __thread struct buf out;
	bool any = false;
	uint32_t off = 0;
	for (struct sb_rec rec; off + sizeof(rec) <= len && !any; off += sb_rec_stride(rec.size)) {
		if (!sb_rec_at(recs, len, off, &rec))
			break;
		any = (rec.nr & (SB_REC_FILE | SB_REC_MAP)) || rec.nr == SB_REC_FDSTATE;
	}
	*outlen = len;
	if (!any)
		return recs;
	uint64_t cur = 0;
	int fd = -1;
	out.len = 0;
	for (off = 0; off + sizeof(struct sb_rec) <= len;) {
		struct sb_rec rec;
		if (!sb_rec_at(recs, len, off, &rec))
			break;                   /* the library reports it */
		uint32_t stride = (uint32_t)sb_rec_stride(rec.size);
		struct sb_fileref ref;
		if (rec.nr == SB_REC_FDSTATE) {     /* the tracer's, not the library's */
			off += stride;
			continue;
		}
		if (rec.nr & SB_REC_MAP) {
			map_expand(r, t, &rec, recs + off + sizeof(rec), &out);
			off += stride;
			continue;
		}
		if (!(rec.nr & SB_REC_FILE)) {
			buf_put(&out, recs + off, stride);
			off += stride;
			continue;
		}
		if (rec.size != sizeof(rec) + sizeof(ref) || rec.ret < 0 || rec.ret > (long)SB_MAX_PAYLOAD)
			rp_diverge(r, t, "a buffered read refers to a file in a way no recording "
			           "writes (corrupt trace)");
		memcpy(&ref, recs + off + sizeof(rec), sizeof(ref));
		int f = ref_file(r, t, ref.hash, &cur, &fd);
		rec.nr &= ~SB_REC_FILE;
		rec.size = (uint32_t)(sizeof(rec) + (uint64_t)rec.ret);
		buf_put(&out, &rec, sizeof(rec));
		buf_reserve(&out, (size_t)rec.ret);
		if (pread(f, out.p + out.len, (size_t)rec.ret, (off_t)ref.offset) != rec.ret)
			rp_diverge(r, t, "a buffered read refers to bytes past the end of its file "
			           "(corrupt trace)");
		out.len += (size_t)rec.ret;
		buf_put(&out, pad, sb_rec_stride(rec.size) - rec.size);
		off += stride;
	}
	buf_put(&out, recs + off, len - off);
	if (fd >= 0)
		close(fd);
	if (out.len > SB_RECS_CAP)
		rp_diverge(r, t, "buffered reads that do not fit the syscall buffer (corrupt trace)");
	*outlen = (uint32_t)out.len;
	return out.p;
}

void rp_sb_load(struct replayer *r, struct task *t)
{
	const struct event *ev;
	while ((ev = rp_peek(r, t, 0)) && ev->type == EV_BUF && ev->tid == t->rec_tid) {
		if (!t->sb)
			rp_diverge(r, t, "the trace has buffered calls for a task that has no "
			           "syscall buffer here");
		if (t->sb_loaded)
			rp_diverge(r, t, "two sets of buffered calls in a row (corrupt trace)");
		uint32_t len;
		const uint8_t *recs = refs_expand(r, t, ev->buf.recs.p, (uint32_t)ev->buf.recs.len,
		                                  &len);
		uint32_t hdr[3] = { 0, len, 0 };     /* used, limit, nrec */
		if (task_write(t, t->sb + SB_RECS_OFF, recs, len) < 0 ||
		    task_write(t, t->sb + SLOT_FIELD(used), hdr, sizeof(hdr)) < 0)
			rp_diverge(r, t, "cannot write the buffered calls into the task's syscall "
			           "buffer at %#llx", (unsigned long long)t->sb);
		t->sb_loaded = true;
		t->sb_nrec = ev->buf.nrec;
		rp_consume(r, t);
	}
}

/* The slot's header, when records were loaded into it. */
static bool loaded_header(struct replayer *r, struct task *t, struct sb_hdr *h)
{
	if (!t->sb_loaded)
		return false;
	if (!slot_header(t, h)) {
		if (pt_gone(t->tid))
			return false;   /* SIGKILLed as the trace says: its death comes next */
		rp_diverge(r, t, "cannot read the task's syscall buffer");
	}
	return true;
}

void rp_sb_settle(struct replayer *r, struct task *t)
{
	struct sb_hdr h;
	if (!loaded_header(r, t, &h))
		return;
	if (h.used != h.limit)
		rp_diverge(r, t, "the program made %u of the %u buffered calls recorded before "
		           "this point", h.nrec, t->sb_nrec);
	slot_empty(t);
	t->sb_loaded = false;
}

/* A map of a file the loader stub made in a skipped slice: the copy the
 * record names (map_expand) opened, mapped and closed again through the
 * scribe page, as the stub did. */
static void reapply_map(struct replayer *r, struct task *t, const struct sb_rec *rec,
                        uint64_t a[6], const uint8_t *path, size_t n)
{
	size_t len = strnlen((const char *)path, n);
	uint64_t at = (t->regs.rsp - 256 - len - 1) & ~15ull;      /* past the red zone */
	if (len == n || task_write(t, at, path, len + 1) < 0)
		rp_diverge(r, t, "cannot replay a buffered map of a file of a slice restored from "
		           "a snapshot");
	long fd = pt_call_at(t->tid, &t->regs, SCRIBE_PAGE, SYS_openat, AT_FDCWD, at,
	                     O_RDONLY | O_CLOEXEC, 0, 0, 0);
	long got = fd < 0 ? fd : pt_call_at(t->tid, &t->regs, SCRIBE_PAGE, SYS_mmap,
	                                    (uint64_t)rec->ret, a[1], a[2], sb_remap_flags(a[3]),
	                                    fd, a[5]);
	if (fd >= 0)
		pt_call_at(t->tid, &t->regs, SCRIBE_PAGE, SYS_close, fd, 0, 0, 0, 0, 0);
	if (got != rec->ret)
		rp_diverge(r, t, "the buffered map of a file of a slice restored from a snapshot "
		           "returned %ld, recorded %lld", got, (long long)rec->ret);
}

/* One re-executed call of a skipped slice (payload: sbuf.h), made again
 * through the scribe page with the recorded arguments; the bytes it was
 * handed go just below the stack (the snapshot restores that memory). */
static void reapply(struct replayer *r, struct task *t, const struct sb_rec *rec,
                    const uint8_t *p, size_t len)
{
	const struct sysdesc *d = sys_desc(rec->nr);
	size_t nargs = d ? (size_t)d->nargs : 0;
	uint64_t a[6] = {0};
	if (nargs > 6 || nargs * 8 > len)
		rp_diverge(r, t, "a buffered %s() without its arguments (corrupt trace)",
		           sys_name(rec->nr));
	memcpy(a, p, nargs * 8);
	size_t in = a[1] ? sb_rec_reexec_in(rec->nr) : 0;
	if (nargs * 8 + in > len)
		rp_diverge(r, t, "a buffered %s() without the bytes it was given (corrupt trace)",
		           sys_name(rec->nr));
	if (sys_failed(rec->ret))
		return;                      /* it failed: it changed nothing */
	if (in) {
		a[1] = (t->regs.rsp - 256 - in) & ~15ull;    /* past the red zone */
		if (task_write(t, a[1], p + nargs * 8, in) < 0)
			rp_diverge(r, t, "cannot reach the stack to replay a buffered %s()",
			           sys_name(rec->nr));
	}
	if (rec->nr == SYS_mmap && sb_map_of_file(a)) {
		reapply_map(r, t, rec, a, p + nargs * 8, len - nargs * 8);
		return;
	}
	if (rec->nr == SYS_mmap) {
		a[0] = (uint64_t)rec->ret;
		a[3] = sb_remap_flags(a[3]);
	} else if (rec->nr == SYS_rt_sigaction || rec->nr == SYS_rt_sigprocmask) {
		a[2] = 0;                    /* the old action or mask: in memory already */
	}
	long got = pt_call_at(t->tid, &t->regs, SCRIBE_PAGE, rec->nr, a[0], a[1], a[2], a[3],
	                      a[4], a[5]);
	if (got != rec->ret)
		rp_diverge(r, t, "the buffered %s() of a slice restored from a snapshot returned "
		           "%lld, recorded %lld", sys_name(rec->nr), (long long)got,
		           (long long)rec->ret);
}

void rp_sb_reapply(struct replayer *r, struct task *t)
{
	struct sb_hdr h;
	if (!loaded_header(r, t, &h))
		return;
	uint8_t *recs = xmalloc(h.limit ? h.limit : 1);
	if (task_read(t, t->sb + SB_RECS_OFF, recs, h.limit) != (long)h.limit) {
		free(recs);
		if (pt_gone(t->tid))
			return;
		rp_diverge(r, t, "cannot read the task's syscall buffer");
	}
	pt_getregs(t->tid, &t->regs);
	for (size_t off = 0; off + sizeof(struct sb_rec) <= h.limit;) {
		struct sb_rec rec;
		if (!sb_rec_at(recs, h.limit, off, &rec))
			rp_diverge(r, t, "a buffered call's record is cut short (corrupt trace)");
		if (sb_rec_reexec(rec.nr))
			reapply(r, t, &rec, recs + off + sizeof(rec), rec.size - sizeof(rec));
		off += sb_rec_stride(rec.size);
	}
	free(recs);
}

void rp_sb_discard(struct task *t)
{
	if (!t->sb_loaded)
		return;
	slot_empty(t);
	t->sb_loaded = false;
}

void rp_sb_call(struct replayer *r, struct task *t, const struct event *ev)
{
	if (ev->sys.nr != SB_SYS_REGISTER || ev->sys.ret < 0)
		return;
	/* As recorded: buffering on (the library answers from the trace now)
	 * or off (it calls libc, and every call is an event). */
	struct sb_hdr h = { .magic = SB_MAGIC,
	                    .mode = ev->sys.ret == SB_RECORD ? SB_REPLAY : SB_OFF };
	slot_register(t, ev->sys.args[0]);
	t->sb_loaded = false;
	if (task_write(t, t->sb, &h, sizeof(h)) < 0)
		rp_diverge(r, t, "cannot set up the syscall buffer at %#llx",
		           (unsigned long long)t->sb);
}

_Noreturn void rp_sb_diverged(struct replayer *r, struct task *t)
{
	struct sb_hdr h;
	if (!slot_header(t, &h))
		rp_diverge(r, t, "the preload library reports a difference it cannot describe");
	if (!h.div_rec_nr)
		rp_diverge(r, t, "expected no more buffered calls before the next event, got %s()",
		           h.div_nr == SB_REC_FDKIND ? "a descriptor check" : sys_name(h.div_nr));
	if (h.div_nr != h.div_rec_nr)
		rp_diverge(r, t, "buffered call %u: expected %s(), got %s()", h.nrec + 1,
		           sys_name(h.div_rec_nr), sys_name(h.div_nr));
	rp_diverge(r, t, "buffered call %u: %s() with different arguments or data",
	           h.nrec + 1, sys_name(h.div_nr));
}
