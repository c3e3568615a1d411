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
#include <sys/stat.h>

#include "core/slot.h"

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
	struct event ev = { .type = EV_BUF, .tid = t->rec_tid };
	ev.buf.nrec = h.nrec;
	ev.buf.recs = (struct ev_bytes){ recs.p, h.used };
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
