/* record_share.c -- shared objects mapped after the fact, and the groups
 * of domains they create.
 *
 * A MAP_SHARED mapping of a file, a shm_open object or a memfd is numbered
 * by its object (device, inode) so replay can make every mapping of that
 * object share one copy, as the kernel did.  When two domains map the same
 * object and at least one mapping is writable, their memory now overlaps
 * although they were created apart (sharing set up before a fork keeps
 * the child in its parent's domain instead).  They join a group: one
 * scheduler for all their tasks, so again only one task of them runs at a
 * time.  Each domain's stream gets an EV_JOIN, and from then on the
 * group's switches and releases are numbered (record_sched.c).
 *
 * The domain whose task made the mapping waits for the group; if another
 * member's task is running it keeps the group.  Should two running tasks
 * of different domains end up in one group, the second parks at its next
 * stop: until then they ran side by side (the one case this cannot make
 * exact; it needs three domains mapping one object at once). */
#include "record/record_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/slot.h"
#include "syscalls/table.h"

struct shobj {
	uint64_t dev, ino;
	bool writable;
	struct domain **doms;       /* domains that map it */
	int ndoms;
};

static struct shobj *find(struct recorder *r, uint64_t dev, uint64_t ino, uint32_t *idx)
{
	for (int i = 0; i < r->nshobjs; i++)
		if (r->shobjs[i].dev == dev && r->shobjs[i].ino == ino) {
			*idx = i;
			return &r->shobjs[i];
		}
	r->shobjs = xrealloc(r->shobjs, (r->nshobjs + 1) * sizeof(*r->shobjs));
	*idx = r->nshobjs;
	struct shobj *o = &r->shobjs[r->nshobjs++];
	*o = (struct shobj){ dev, ino, false, NULL, 0 };
	__atomic_add_fetch(&r->shgen, 1, __ATOMIC_RELEASE);
	return o;
}

static void add_dom(struct shobj *o, struct domain *d)
{
	for (int i = 0; i < o->ndoms; i++)
		if (o->doms[i] == d)
			return;
	o->doms = xrealloc(o->doms, (o->ndoms + 1) * sizeof(*o->doms));
	o->doms[o->ndoms++] = d;
}

static void emit_join(struct recorder *r, struct domain *d, uint32_t tid, uint32_t group,
                      uint64_t seq)
{
	struct event ev = { .type = EV_JOIN, .tid = tid };
	ev.sched.group = group;
	ev.sched.seq = seq;
	self->enc.len = 0;
	ev_encode(&self->enc, &ev);
	trc_stream_append(d->stream, self->enc.p, self->enc.len);
}

/* Put domain d under the group's scheduler; its parked tasks now wait for
 * the group, in their order.  Returns the task that held d.  Caller holds
 * sched_mu. */
static struct task *move_under(struct domain *d, struct sched *g)
{
	struct sched *old = d->s;
	struct task *holder = old->holder;
	struct task **tail = &g->waitq;
	while (*tail)
		tail = &(*tail)->wnext;
	*tail = old->waitq;
	old->waitq = NULL;
	old->holder = NULL;
	sched_busy_on(old, NULL);
	d->s = g;
	return holder;
}

/* Another domain mapping the object joins the group. */
static void join(struct recorder *r, struct domain *d, struct sched *g, struct task *initiator)
{
	if (d->s == g)
		return;
	struct task *holder = move_under(d, g);
	uint64_t seq = 0;
	if (holder && holder != initiator && !g->holder) {
		g->holder = holder;      /* it is running: it keeps the group */
		sched_busy_on(g, holder->owner);
		g->last = holder;
		seq = ++g->seq;
	}
	emit_join(r, d, 0, g->group, seq);
}

bool rec_shared_object(struct recorder *r, struct task *t, uint64_t dev, uint64_t ino,
                       bool writable, uint32_t *objno, struct event *join_ev)
{
	join_ev->type = 0;
	pthread_mutex_lock(&r->mu);
	struct shobj *o = find(r, dev, ino, objno);
	add_dom(o, t->dom);
	o->writable |= writable;
	bool wait = false;
	if (!o->writable || o->ndoms < 2) {
		pthread_mutex_unlock(&r->mu);
		return false;
	}
	pthread_mutex_lock(&r->sched_mu);
	struct sched *g = NULL;
	bool split = false;
	for (int i = 0; i < o->ndoms; i++) {
		struct sched *s = o->doms[i]->s;
		if (s != t->dom->s)
			split = true;
		if (s->grouped) {
			if (g && g != s)
				fatal("memory is shared among processes of two different groups; "
				      "this is not supported");
			g = s;
		}
	}
	if (split) {
		if (!g) {
			g = xcalloc(1, sizeof(*g));
			pthread_mutex_init(&g->mu, NULL);
			g->grouped = true;
			g->group = r->ngroups++;
		}
		for (int i = 0; i < o->ndoms; i++)
			if (o->doms[i] != t->dom)
				join(r, o->doms[i], g, t);
		/* The mapping task's own domain last: it holds it, stopped. */
		struct domain *d = t->dom;
		if (d->s != g) {
			move_under(d, g);
			/* Its EV_JOIN goes after the mmap's own event. */
			join_ev->type = EV_JOIN;
			join_ev->sched.group = g->group;
			if (!g->holder) {
				g->holder = t;
				g->last = t;
				join_ev->tid = 0;
				join_ev->sched.seq = ++g->seq;
			} else {
				/* Someone else holds the group: t waits, parked
				 * right here (EV_JOIN names it). */
				join_ev->tid = t->rec_tid;
				join_ev->sched.seq = 0;
				wait = true;
			}
		}
	}
	pthread_mutex_unlock(&r->sched_mu);
	pthread_mutex_unlock(&r->mu);
	return wait;
}

bool rec_shared_known(struct recorder *r, uint64_t dev, uint64_t ino, uint32_t *objno)
{
	bool found = false;
	pthread_mutex_lock(&r->mu);
	for (int i = 0; i < r->nshobjs && !found; i++) {
		if (r->shobjs[i].dev == dev && r->shobjs[i].ino == ino) {
			*objno = i;
			found = true;
		}
	}
	pthread_mutex_unlock(&r->mu);
	return found;
}

void rec_share_tell(struct recorder *r, struct task *t)
{
	uint32_t gen = __atomic_load_n(&r->shgen, __ATOMIC_ACQUIRE);
	if (!t->sb || t->sb_shgen == gen)
		return;
	struct sb_hdr h;
	pthread_mutex_lock(&r->mu);
	h.shared_n = (uint32_t)r->nshobjs;
	h.shared_pad = 0;
	for (int i = 0; i < r->nshobjs && i < SB_SHARED_MAX; i++) {
		h.shared_dev[i] = r->shobjs[i].dev;
		h.shared_ino[i] = r->shobjs[i].ino;
	}
	pthread_mutex_unlock(&r->mu);
	size_t off = offsetof(struct sb_hdr, shared_n);
	if (task_write(t, t->sb + off, (char *)&h + off, sizeof(h) - off) == (long)(sizeof(h) - off))
		t->sb_shgen = gen;
}

/* Where a write of ret bytes through t's descriptor fd began: for write
 * and writev, the descriptor's position now, less what it wrote. */
static bool write_offset(struct task *t, int fd, int64_t ret, uint64_t *off)
{
	char path[64], text[256];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", t->tid, fd);
	const char *pos = strstr(proc_text(text, sizeof(text), "%s", path), "pos:");
	if (!pos)
		return false;
	uint64_t p = strtoull(pos + 4, NULL, 10);
	if (p < (uint64_t)ret)
		return false;
	*off = p - (uint64_t)ret;
	return true;
}

/* Would t's domain joining object obj's domains merge two groups? */
static bool two_groups(struct recorder *r, struct task *t, uint32_t obj)
{
	pthread_mutex_lock(&r->mu);
	pthread_mutex_lock(&r->sched_mu);
	struct sched *g = t->dom->s->grouped ? t->dom->s : NULL;
	bool two = false;
	const struct shobj *o = &r->shobjs[obj];
	for (int i = 0; i < o->ndoms && !two; i++) {
		struct sched *x = o->doms[i]->s;
		if (x->grouped && g && x != g)
			two = true;
		else if (x->grouped)
			g = x;
	}
	pthread_mutex_unlock(&r->sched_mu);
	pthread_mutex_unlock(&r->mu);
	return two;
}

static bool fd_call(long nr)
{
	return nr == SYS_write || nr == SYS_pwrite64 || nr == SYS_writev || nr == SYS_pwritev ||
	       nr == SYS_ftruncate;
}

/* The device and inode of t's descriptor fd, if a regular file. */
static bool fd_file(struct task *t, int fd, struct stat *st)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", t->tid, fd);
	return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

bool rec_shared_fd_entry(struct recorder *r, struct task *t)
{
	struct ev_syscall *s = &t->ev.sys;
	struct stat st;
	if (!fd_call(s->nr) || __atomic_load_n(&r->nshobjs, __ATOMIC_RELAXED) == 0 ||
	    !fd_file(t, (int)s->args[0], &st) || !rec_shared_known(r, st.st_dev, st.st_ino, &s->shobj))
		return false;
	s->flags |= SYSF_SHARED;
	return true;
}

bool rec_shared_fd_exit(struct recorder *r, struct task *t, struct event *join)
{
	struct ev_syscall *s = &t->ev.sys;
	struct stat st;
	uint64_t off = s->args[3];
	join->type = 0;
	if (!(s->flags & SYSF_SHARED) || !fd_call(s->nr))
		return false;
	bool write = s->nr != SYS_ftruncate;
	if (sys_failed(s->ret) || (write && s->ret == 0) || !fd_file(t, (int)s->args[0], &st) ||
	    (write && s->nr != SYS_pwrite64 && s->nr != SYS_pwritev &&
	     !write_offset(t, (int)s->args[0], s->ret, &off))) {
		s->flags &= ~SYSF_SHARED;
		return false;
	}
	if (write) {
		s->flags |= SYSF_OBJWRITE;
		s->objoff = off;
	}
	/* What it changed is memory of the domains that map the file: its
	 * domain joins theirs, as a writable map of it would, so replay
	 * orders the change with what they do (record_sched.c) -- unless
	 * that would merge two groups, which a map makes an error of. */
	if (two_groups(r, t, s->shobj)) {
		rec_warn_once(r, "write-two-groups", "a process wrote a file that processes of "
		              "another group map shared; replay may order the write differently");
		return false;
	}
	return rec_shared_object(r, t, st.st_dev, st.st_ino, true, &s->shobj, join);
}
