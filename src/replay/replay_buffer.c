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

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "core/page.h"
#include "core/ptrace.h"
#include "core/slot.h"
#include "syscalls/table.h"

void rp_sb_load(struct replayer *r, struct task *t)
{
	const struct event *ev;
	while ((ev = rp_peek(r, t, 0)) && ev->type == EV_BUF && ev->tid == t->rec_tid) {
		if (!t->sb)
			rp_diverge(r, t, "the trace has buffered calls for a task that has no "
			           "syscall buffer here");
		if (t->sb_loaded)
			rp_diverge(r, t, "two sets of buffered calls in a row (corrupt trace)");
		uint32_t len = (uint32_t)ev->buf.recs.len;
		uint32_t hdr[3] = { 0, len, 0 };     /* used, limit, nrec */
		if (task_write(t, t->sb + SB_RECS_OFF, ev->buf.recs.p, len) < 0 ||
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
	if (!slot_header(t, h))
		rp_diverge(r, t, "cannot read the task's syscall buffer");
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
	if (rec->ret < 0 && rec->ret > -4096)
		return;                      /* it failed: it changed nothing */
	if (in) {
		a[1] = (t->regs.rsp - 256 - in) & ~15ull;    /* past the red zone */
		if (task_write(t, a[1], p + nargs * 8, in) < 0)
			rp_diverge(r, t, "cannot reach the stack to replay a buffered %s()",
			           sys_name(rec->nr));
	}
	if (rec->nr == SYS_mmap) {
		a[0] = (uint64_t)rec->ret;
		a[3] |= MAP_FIXED_NOREPLACE;
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
	if (task_read(t, t->sb + SB_RECS_OFF, recs, h.limit) != (long)h.limit)
		rp_diverge(r, t, "cannot read the task's syscall buffer");
	pt_getregs(t->tid, &t->regs);
	for (size_t off = 0; off + sizeof(struct sb_rec) <= h.limit;) {
		struct sb_rec rec;
		memcpy(&rec, recs + off, sizeof(rec));
		if (rec.size < sizeof(rec) || sb_rec_stride(rec.size) > h.limit - off)
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
	t->sb = ev->sys.args[0];
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
