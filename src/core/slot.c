/* slot.c -- read and set a task's syscall-buffer slot. */
#include "core/slot.h"

#include <sched.h>
#include <string.h>

bool slot_header(struct task *t, struct sb_hdr *h)
{
	if (!t->sb)
		return false;
	if (task_read(t, t->sb, h, sizeof(*h)) != (long)sizeof(*h) || h->magic != SB_MAGIC) {
		t->sb = 0;           /* unmapped by the program: stop looking */
		return false;
	}
	return true;
}

void slot_set(struct task *t, size_t off, uint32_t v)
{
	if (t->sb)
		task_write(t, t->sb + off, &v, sizeof(v));
}

void slot_empty(struct task *t)
{
	static const uint32_t zero[4];
	_Static_assert(offsetof(struct sb_hdr, map_fds) == offsetof(struct sb_hdr, used) + 12,
	               "used, limit, nrec, map_fds are adjacent");
	if (t->sb)
		task_write(t, t->sb + SLOT_FIELD(used), zero, sizeof(zero));
}

bool slot_in_call(struct task *t)
{
	uint32_t v = 0;
	return t->sb && task_read(t, t->sb + SLOT_FIELD(in_call), &v, sizeof(v)) == sizeof(v) && v;
}

void slot_register(struct task *t, uint64_t addr)
{
	if (t->sb == SB_LD_SLOT)
		slot_set(t, SLOT_FIELD(mode), SB_OFF);
	t->sb = addr;
}

uint64_t slot_inherit(const struct task *parent, uint64_t clone_flags)
{
	return (clone_flags & CLONE_SETTLS) ? 0 : parent->sb;
}
