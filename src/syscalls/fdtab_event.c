/* fdtab_event.c -- feeding the fd-table model (fdtab.h) from decoded
 * trace events: traced syscalls, task creation, exec, exit, and the
 * buffered calls of an EV_BUF batch with the tracer's facts about them
 * (SB_REC_FDSTATE). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/util.h"
#include "preload/sbuf.h"
#include "syscalls/decode.h"
#include "syscalls/fdtab_int.h"
#include "syscalls/table.h"

/* The kernel adds O_LARGEFILE on 64-bit: not a flag a program chose. */
#define FDT_LARGEFILE 0100000

/* write's bytes, from the prefix the event keeps (an eventfd's 8). */
static const void *in_prefix(void *ctx, uint64_t addr, size_t len)
{
	const struct ev_syscall *s = ctx;
	if (addr != s->args[1] || len > s->inprefix.len)
		return NULL;
	return s->inprefix.p;
}

/* SYSF_SOCKNAME: the addresses the kernel gave the socket at fd. */
static void names_of(struct fdtab *m, int tid, int fd, const struct ev_syscall *s)
{
	pthread_mutex_lock(&m->mu);
	struct fdt_fd *f = fdt_lookup(fdt_task_get(m, tid)->tab, fd);
	if (f && f->desc->type == FDT_SOCKET)
		fdtab_set_names(f->desc, s->sockname[0].p, s->sockname[0].len, s->sockname[1].p,
		                s->sockname[1].len);
	pthread_mutex_unlock(&m->mu);
}

/* SYSF_FDPOS: where an O_APPEND write left the file position. */
static void pos_of(struct fdtab *m, int tid, int fd, uint64_t pos)
{
	pthread_mutex_lock(&m->mu);
	struct fdt_fd *f = fdt_lookup(fdt_task_get(m, tid)->tab, fd);
	if (f) {
		f->desc->offset = (int64_t)pos;
		f->desc->offset_known = true;
		f->desc->at_end = true;
	}
	pthread_mutex_unlock(&m->mu);
}

static void feed_syscall(struct fdtab *m, int tid, const struct ev_syscall *s)
{
	struct fdt_call c = { .nr = s->nr, .ret = s->ret,
	                      .returned = (s->flags & SYSF_RESULT) != 0 };
	memcpy(c.args, s->args, sizeof(c.args));
	char *str[2] = { NULL, NULL };
	for (uint32_t i = 0; i < s->nstrings && i < 2; i++) {
		str[i] = xmalloc(s->strings[i].len + 1);
		memcpy(str[i], s->strings[i].p, s->strings[i].len);
		str[i][s->strings[i].len] = 0;
		c.strings[i] = str[i];
	}
	c.nstrings = MIN(s->nstrings, 2u);
	struct fdt_region regs[8], *rp = regs;
	if (s->nregions > ARRAY_SIZE(regs))
		rp = xmalloc(s->nregions * sizeof(*rp));
	for (uint32_t i = 0; i < s->nregions; i++)
		rp[i] = (struct fdt_region){ s->regions[i].addr, s->regions[i].data.p,
		                             s->regions[i].data.len };
	c.regions = rp;
	c.nregions = s->nregions;
	if (s->inprefix.len) {
		c.in = in_prefix;
		c.in_ctx = (void *)s;
	}
	fdtab_call(m, tid, &c);
	if (s->flags & SYSF_FDPOS)
		pos_of(m, tid, (int)s->args[0], s->fdpos);
	if (s->flags & SYSF_SOCKNAME && !sys_failed(s->ret) && s->nr != SYS_connect)
		names_of(m, tid, (int)s->ret, s);
	else if (s->flags & SYSF_SOCKNAME)
		names_of(m, tid, (int)s->args[0], s);
	if (rp != regs)
		free(rp);
	free(str[0]);
	free(str[1]);
}

/* The tracer's fact about fd `rec->arg0` at the end of a batch. */
static void apply_fact(struct fdtab *m, int tid, const struct sb_rec *rec, const uint8_t *p,
                       size_t plen)
{
	struct sb_fdstate st;
	if (plen < sizeof(st) || rec->ret < 0)
		return;
	memcpy(&st, p, sizeof(st));
	pthread_mutex_lock(&m->mu);
	struct fdt_table *tb = fdt_task_get(m, tid)->tab;
	int fd = (int)rec->arg0;
	struct fdt_fd *src = st.dup_of >= 0 ? fdt_lookup(tb, st.dup_of) : NULL;
	struct fdt_fd *f = fdt_lookup(tb, fd);
	if (src && (!f || f->desc != src->desc))
		fdt_install(tb, fd, src->desc, st.fdflags);
	if ((f = fdt_lookup(tb, fd))) {
		struct fdt_desc *d = f->desc;
		f->fdflags = st.fdflags;
		d->flags = (int)rec->ret & ~FDT_LARGEFILE;
		uint32_t al[2];
		if (d->type == FDT_SOCKET && plen >= sizeof(st) + sizeof(al)) {
			memcpy(al, p + sizeof(st), sizeof(al));
			if ((uint64_t)al[0] + al[1] <= plen - sizeof(st) - sizeof(al)) {
				fdtab_set_names(d, p + sizeof(st) + sizeof(al), al[0],
				                p + sizeof(st) + sizeof(al) + al[0], al[1]);
			}
		}
		if (d->type == FDT_FILE || d->type == FDT_DIR || d->type == FDT_MEMFD ||
		    d->type == FDT_UNKNOWN) {
			d->offset = st.pos;
			d->offset_known = true;
			d->at_end = false;
		}
	}
	pthread_mutex_unlock(&m->mu);
}

/* One buffered call, from what its record keeps: arg0, the result, a
 * path, the bytes the kernel wrote (at a made-up address 1, for the
 * calls that look at them).  Open flags and fcntl commands are not kept:
 * the batch's facts say what they did. */
static void feed_record(struct fdtab *m, int tid, const struct sb_rec *rec, const uint8_t *p,
                        size_t plen)
{
	if (rec->nr == SB_REC_FDSTATE) {
		apply_fact(m, tid, rec, p, plen);
		return;
	}
	if (!(rec->nr & (SB_REC_FILE | SB_REC_MAP)) && rec->nr >= SB_REC_FDKIND)
		return;                       /* the library's own facts */
	uint32_t nr = rec->nr & ~(SB_REC_FILE | SB_REC_MAP);
	if (nr == SYS_fcntl || (rec->nr & SB_REC_MAP))
		return;
	struct fdt_call c = { .nr = (int)nr, .ret = rec->ret, .returned = true };
	c.args[0] = rec->arg0;
	char *path = NULL;
	struct fdt_region reg = { 1, NULL, 0 };
	if (!(rec->nr & SB_REC_FILE)) {
		struct sb_layout l;
		sys_rec_layout(rec, p, plen, &l);
		if (l.nargs)
			memcpy(c.args, p, 8 * (size_t)l.nargs);
		if (l.has_path) {
			path = xmalloc(l.path_len + 1);
			memcpy(path, p, l.path_len);
			path[l.path_len] = 0;
			c.strings[0] = path;
			c.nstrings = 1;
		}
		if (plen > l.data_off) {
			reg.p = p + l.data_off;
			reg.len = plen - l.data_off;
			c.regions = &reg;
			c.nregions = 1;
		}
	}
	switch (nr) {
	case SYS_open:                  /* arg0 is the path's address */
		c.args[1] = O_RDONLY;
		break;
	case SYS_openat:
		c.args[2] = O_RDONLY;
		break;
	case SYS_fstat:
	case SYS_getdents64:
		c.args[1] = 1;
		break;
	case SYS_accept:
	case SYS_accept4:
		/* the record's bytes: the address length, then the address */
		c.args[1] = 1 + 4;
		c.args[2] = 1;
		break;
	}
	fdtab_call(m, tid, &c);
	free(path);
}

static void feed_batch(struct fdtab *m, int tid, const struct ev_buf *b)
{
	const uint8_t *recs = b->recs.p;
	size_t len = b->recs.len;
	for (uint64_t off = 0; off + sizeof(struct sb_rec) <= len;) {
		struct sb_rec rec;
		if (!sb_rec_at(recs, len, off, &rec))
			break;
		feed_record(m, tid, &rec, recs + off + sizeof(rec), rec.size - sizeof(rec));
		off += sb_rec_stride(rec.size);
	}
}

void fdtab_event(struct fdtab *m, const struct event *ev)
{
	int tid = (int)ev->tid;
	if (!m->started) {
		m->started = true;
		fdtab_inherit(m, tid, m->start_fds, m->start_len);
	}
	switch (ev->type) {
	case EV_SYSCALL:
		feed_syscall(m, tid, &ev->sys);
		break;
	case EV_BUF:
		feed_batch(m, tid, &ev->buf);
		break;
	case EV_TASK:
		fdtab_task(m, (int)ev->task.parent, tid, ev->task.flags);
		break;
	case EV_EXEC:
		fdtab_exec(m, tid);
		break;
	case EV_EXIT:
		fdtab_exit(m, tid);
		break;
	}
}
