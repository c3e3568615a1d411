/* replay_buffer.c -- the replayer's side of the syscall buffer.
 *
 * When a task is let go after an event and its stream goes on with an
 * EV_BUF of its own, the records are written into its slot: the preload
 * library answers the program's calls from them, in order, without
 * entering the kernel.  At the task's next stop (the one that made the
 * recorder write them) it must have used every one of them; the slot is
 * then emptied.  A snapshot restore skips the slice that used them. */
#include "replay/replay_int.h"

#include <string.h>

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

void rp_sb_settle(struct replayer *r, struct task *t)
{
	if (!t->sb_loaded)
		return;
	struct sb_hdr h;
	if (!slot_header(t, &h))
		rp_diverge(r, t, "cannot read the task's syscall buffer");
	if (h.used != h.limit)
		rp_diverge(r, t, "the program made %u of the %u buffered calls recorded before "
		           "this point", h.nrec, t->sb_nrec);
	slot_empty(t);
	t->sb_loaded = false;
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
