/* fdtab_call.c -- what each syscall does to the fd tables (fdtab.h).
 *
 * Only what the trace says is used: the arguments, the result, the memory
 * the kernel wrote (regions), and the memory some calls hand in that the
 * syscall table keeps for this (bind, connect, epoll_ctl, timerfd_settime
 * and signalfd keep their argument structs as regions: table.c).  A call
 * that failed changes nothing, except close, which always closes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/util.h"
#include "syscalls/fdtab_int.h"
#include "syscalls/table.h"

/* open(2) flags that describe the call, not the description. */
#define OPEN_ONLY (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW)

struct ctx {
	struct fdtab *m;
	struct fdt_task *t;
	struct fdt_table *tb;
	const struct fdt_call *c;
	const uint64_t *a;
};

static const void *mem(const struct ctx *x, uint64_t addr, size_t len)
{
	const struct fdt_call *c = x->c;
	if (!addr || !len)
		return NULL;
	for (size_t i = 0; i < c->nregions; i++) {
		const struct fdt_region *r = &c->regions[i];
		if (addr >= r->addr && addr - r->addr <= r->len && len <= r->len - (addr - r->addr))
			return (const uint8_t *)r->p + (addr - r->addr);
	}
	return c->in ? c->in(c->in_ctx, addr, len) : NULL;
}

static struct fdt_desc *desc_of(const struct ctx *x, uint64_t fd)
{
	struct fdt_fd *f = fdt_lookup(x->tb, (int)fd);
	return f ? f->desc : NULL;
}

/* path made absolute from the task's cwd, or dirfd's path. */
static char *abs_path(const struct ctx *x, int64_t dirfd, const char *path)
{
	if (!path)
		return NULL;
	if (path[0] == '/')
		return xstrdup(path);
	const char *base = x->t->cwd;
	if ((int)dirfd != AT_FDCWD) {
		struct fdt_desc *d = desc_of(x, (uint64_t)dirfd);
		base = d && d->path && d->path[0] == '/' ? d->path : NULL;
		if (!base)
			return xstrdup(path);
	}
	if (!strcmp(path, ".") || !*path)
		return xstrdup(base);
	return xasprintf("%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", path);
}

/* Install a new description at fd, made by this call. */
static struct fdt_desc *add(const struct ctx *x, int64_t fd, enum fdt_type type, int flags,
                            bool cloexec)
{
	if (fd < 0 || fd > INT_MAX)
		return NULL;
	struct fdt_desc *d = fdt_desc_new(x->m, type);
	d->flags = flags;
	fdt_install(x->tb, (int)fd, d, cloexec ? FD_CLOEXEC : 0);  /* its one reference */
	return d;
}

static void do_open(const struct ctx *x, int64_t dirfd, const char *path, uint64_t flags)
{
	int64_t ret = x->c->ret;
	enum fdt_type type = flags & O_DIRECTORY ? FDT_DIR : FDT_FILE;
	struct fdt_desc *d = add(x, ret, type, (int)(flags & ~(uint64_t)OPEN_ONLY), flags & O_CLOEXEC);
	if (d)
		d->path = abs_path(x, dirfd, path);
}

static void do_dup(const struct ctx *x, uint64_t old, int64_t newfd, bool cloexec)
{
	struct fdt_desc *d = desc_of(x, old);
	if (newfd < 0 || newfd > INT_MAX)
		return;
	if (!d) {
		/* an fd the model never saw made: its copy is as unknown */
		add(x, newfd, FDT_UNKNOWN, 0, cloexec);
		return;
	}
	if ((int64_t)old != newfd)
		fdt_install(x->tb, (int)newfd, d, cloexec ? FD_CLOEXEC : 0);
}

static void do_fcntl(const struct ctx *x)
{
	const uint64_t *a = x->a;
	int64_t ret = x->c->ret;
	struct fdt_fd *f = fdt_lookup(x->tb, (int)a[0]);
	switch ((int)a[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		do_dup(x, a[0], ret, (int)a[1] == F_DUPFD_CLOEXEC);
		return;
	}
	if (!f)
		return;
	switch ((int)a[1]) {
	case F_SETFD:
		f->fdflags = (int)a[2] & FD_CLOEXEC;
		break;
	case F_GETFD:
		f->fdflags = (int)ret & FD_CLOEXEC;
		break;
	case F_GETFL:                /* the kernel's word for it */
		f->desc->flags = (int)ret;
		break;
	case F_SETFL: {
		int settable = O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | O_NONBLOCK;
		f->desc->flags = (f->desc->flags & ~settable) | ((int)a[2] & settable);
		break;
	}
	}
}

static void do_close_range(const struct ctx *x)
{
	const uint64_t *a = x->a;
	struct fdt_table *tb = x->tb;
	for (size_t i = tb->n; i-- > 0;) {
		struct fdt_fd *f = &tb->fds[i];
		if ((uint64_t)(unsigned)f->fd < a[0] || (uint64_t)(unsigned)f->fd > a[1])
			continue;
		if (a[2] & CLOSE_RANGE_CLOEXEC)
			f->fdflags |= FD_CLOEXEC;
		else
			fdt_close(tb, f->fd);
	}
}

static void do_pair(const struct ctx *x, uint64_t addr, enum fdt_type type, int flags0,
                    int flags1, bool cloexec)
{
	const int32_t *fds = mem(x, addr, 8);
	if (!fds)
		return;
	int32_t fd[2];
	memcpy(fd, fds, sizeof(fd));
	struct fdt_desc *d0 = add(x, fd[0], type, flags0, cloexec);
	struct fdt_desc *d1 = add(x, fd[1], type, flags1, cloexec);
	if (!d0 || !d1)
		return;
	d0->pipe_id = d1->pipe_id = x->m->next_pipe++;
	d0->end = 0;
	d1->end = 1;
	d0->peer_desc = d1->id;
	d1->peer_desc = d0->id;
}

static void sock_init(struct fdt_desc *d, uint64_t family, uint64_t type, uint64_t proto)
{
	d->family = (int)family;
	d->socktype = (int)type & 0xf;       /* SOCK_TYPE_MASK */
	d->protocol = (int)proto;
}

static void set_addr(struct sockaddr_storage *ss, socklen_t *len, const void *p, size_t n)
{
	if (!p)
		return;
	n = MIN(n, sizeof(*ss));
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, p, n);
	*len = (socklen_t)n;
}

void fdtab_set_names(struct fdt_desc *d, const void *local, size_t llen, const void *peer,
                     size_t plen)
{
	if (llen)
		set_addr(&d->local, &d->local_len, local, llen);
	if (plen)
		set_addr(&d->peer, &d->peer_len, peer, plen);
}

/* getsockname / getpeername / accept: the address the kernel wrote at
 * addr, of the length it wrote at lenp (cut to what fitted). */
static bool addr_out(const struct ctx *x, uint64_t addr, uint64_t lenp,
                     struct sockaddr_storage *ss, socklen_t *len)
{
	const uint32_t *lp = mem(x, lenp, 4);
	if (!lp)
		return false;
	uint32_t n;
	memcpy(&n, lp, 4);
	n = MIN(n, (uint32_t)sizeof(*ss));
	const void *p = mem(x, addr, n);
	set_addr(ss, len, p, n);
	return p != NULL;
}

static void do_accept(const struct ctx *x, uint64_t flags)
{
	const uint64_t *a = x->a;
	struct fdt_desc *l = desc_of(x, a[0]);
	int fl = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	struct fdt_desc *d = add(x, x->c->ret, FDT_SOCKET, fl, flags & SOCK_CLOEXEC);
	if (!d)
		return;
	d->connected = true;
	if (l) {
		sock_init(d, (uint64_t)l->family, (uint64_t)l->socktype, (uint64_t)l->protocol);
		d->local = l->local;
		d->local_len = l->local_len;
	}
	addr_out(x, a[1], a[2], &d->peer, &d->peer_len);
}

static void eventfd_rw(const struct ctx *x, struct fdt_desc *d, bool rd)
{
	if (x->c->ret != 8 || !d->count_known)
		return;
	if (rd) {
		d->count = d->efd_flags & 1 /* EFD_SEMAPHORE */ ? d->count - 1 : 0;
		return;
	}
	const void *p = mem(x, x->a[1], 8);
	uint64_t v;
	if (!p) {
		d->count_known = false;
		return;
	}
	memcpy(&v, p, 8);
	d->count += v;
}

/* read/write family on a file: the position moves, but not with
 * O_APPEND, where it ends at the end of the file, which the trace does
 * not say (unless a buffered batch's fact does later: fdtab_buf.c). */
static void moved(const struct ctx *x, uint64_t fd, bool wr)
{
	struct fdt_desc *d = desc_of(x, fd);
	int64_t ret = x->c->ret;
	if (!d || ret <= 0)
		return;
	if (d->type == FDT_EVENTFD) {
		eventfd_rw(x, d, !wr);
		return;
	}
	if (d->type != FDT_FILE && d->type != FDT_MEMFD && d->type != FDT_UNKNOWN)
		return;
	if (wr && (d->flags & O_APPEND)) {
		d->at_end = true;
		d->offset_known = false;
		return;
	}
	d->offset += ret;
}

static void do_getdents(const struct ctx *x)
{
	struct fdt_desc *d = desc_of(x, x->a[0]);
	int64_t ret = x->c->ret;
	if (!d || ret <= 0)
		return;
	d->type = FDT_DIR;
	const uint8_t *p = mem(x, x->a[1], (size_t)ret);
	if (!p)
		return;
	/* both dirent layouts: d_off at 8, d_reclen (u16) at 16 */
	int64_t last = -1;
	for (int64_t off = 0; off + 18 <= ret;) {
		uint16_t reclen;
		memcpy(&last, p + off + 8, 8);
		memcpy(&reclen, p + off + 16, 2);
		if (!reclen)
			break;
		off += reclen;
	}
	if (last >= 0) {
		d->offset = last;
		d->offset_known = true;
	}
}

static void do_fstat(const struct ctx *x)
{
	struct fdt_desc *d = desc_of(x, x->a[0]);
	const uint8_t *st = mem(x, x->a[1], 144);
	if (!d || !st || (d->type != FDT_FILE && d->type != FDT_UNKNOWN))
		return;
	uint32_t mode;
	memcpy(&mode, st + 24, 4);      /* x86-64 struct stat's st_mode */
	if (S_ISDIR(mode))
		d->type = FDT_DIR;
	else if (S_ISREG(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode))
		d->type = FDT_FILE;
}

static void each_desc(struct fdtab *m, const char *path,
                      void (*fn)(struct fdt_desc *d, const char *arg), const char *arg)
{
	for (size_t i = 0; i < m->ntasks; i++) {
		struct fdt_table *tb = m->tasks[i].tab;
		for (size_t j = 0; j < tb->n; j++)
			if (tb->fds[j].desc->path && !strcmp(tb->fds[j].desc->path, path))
				fn(tb->fds[j].desc, arg);
	}
}

static void mark_deleted(struct fdt_desc *d, const char *arg)
{
	(void)arg;
	d->deleted = true;
}

static void rename_to(struct fdt_desc *d, const char *arg)
{
	free(d->path);
	d->path = xstrdup(arg);
}

static void path_call(const struct ctx *x, int64_t dirfd, int arg, bool is_rename, int arg2,
                      int64_t dirfd2)
{
	const struct fdt_call *c = x->c;
	if ((size_t)arg >= c->nstrings || !c->strings[arg])
		return;
	char *p = abs_path(x, dirfd, c->strings[arg]);
	if (!is_rename) {
		each_desc(x->m, p, mark_deleted, NULL);
	} else if ((size_t)arg2 < c->nstrings && c->strings[arg2]) {
		char *to = abs_path(x, dirfd2, c->strings[arg2]);
		each_desc(x->m, p, rename_to, to);
		free(to);
	}
	free(p);
}

static void do_epoll_ctl(const struct ctx *x)
{
	const uint64_t *a = x->a;
	struct fdt_desc *ep = desc_of(x, a[0]);
	if (!ep)
		return;
	size_t i = 0;
	while (i < ep->nregs && ep->regs[i].fd != (int)a[2])
		i++;
	if ((int)a[1] == 2 /* EPOLL_CTL_DEL */) {
		if (i < ep->nregs)
			ep->regs[i] = ep->regs[--ep->nregs];
		return;
	}
	const uint8_t *ev = mem(x, a[3], 12);  /* packed: u32 events, u64 data */
	if (i == ep->nregs) {
		if ((int)a[1] != 1 /* EPOLL_CTL_ADD */)
			return;
		ep->regs = xrealloc(ep->regs, (ep->nregs + 1) * sizeof(ep->regs[0]));
		ep->nregs++;
		struct fdt_desc *target = desc_of(x, a[2]);
		ep->regs[i] = (struct fdt_epoll_reg){ .fd = (int)a[2],
		                                      .desc = target ? target->id : 0 };
	}
	if (ev) {
		memcpy(&ep->regs[i].events, ev, 4);
		memcpy(&ep->regs[i].data, ev + 4, 8);
	}
}

static void do_signalfd(const struct ctx *x, uint64_t flags)
{
	const uint64_t *a = x->a;
	struct fdt_desc *d = (int)a[0] == -1 ? add(x, x->c->ret, FDT_SIGNALFD,
	                                            O_RDONLY | (flags & O_NONBLOCK), flags & O_CLOEXEC)
	                                     : desc_of(x, a[0]);
	const void *p = mem(x, a[1], 8);
	if (d && p)
		memcpy(&d->sigmask, p, 8);
}

static void do_timerfd_settime(const struct ctx *x)
{
	const uint64_t *a = x->a;
	struct fdt_desc *d = desc_of(x, a[0]);
	const uint8_t *p = mem(x, a[2], 32);
	if (!d || !p)
		return;
	d->tfd_settime_flags = (int)a[1];
	memcpy(&d->it_interval, p, 16);
	memcpy(&d->it_value, p + 16, 16);
}

static void do_inotify_watch(const struct ctx *x)
{
	struct fdt_desc *d = desc_of(x, x->a[0]);
	if (!d)
		return;
	int wd = (int)x->c->ret;
	size_t i = 0;
	while (i < d->nwatches && d->watches[i].wd != wd)
		i++;
	if (i == d->nwatches) {
		d->watches = xrealloc(d->watches, (d->nwatches + 1) * sizeof(d->watches[0]));
		d->nwatches++;
		d->watches[i] = (struct fdt_watch){ .wd = wd };
	}
	d->watches[i].mask = (uint32_t)x->a[2];
	free(d->watches[i].path);
	d->watches[i].path = abs_path(x, AT_FDCWD, x->c->nstrings ? x->c->strings[0] : NULL);
}

static void do_inotify_rm(const struct ctx *x)
{
	struct fdt_desc *d = desc_of(x, x->a[0]);
	for (size_t i = 0; d && i < d->nwatches; i++)
		if (d->watches[i].wd == (int)x->a[1]) {
			free(d->watches[i].path);
			d->watches[i] = d->watches[--d->nwatches];
			return;
		}
}

static void do_chdir(const struct ctx *x, const char *to)
{
	if (!to)
		return;
	char *p = abs_path(x, AT_FDCWD, to);
	free(x->t->cwd);
	x->t->cwd = p;
}

/* Calls that make a new fd from scratch. */
static bool creating(const struct ctx *x)
{
	const uint64_t *a = x->a;
	const struct fdt_call *c = x->c;
	int64_t ret = c->ret;
	const char *s0 = c->nstrings ? c->strings[0] : NULL;
	struct fdt_desc *d;
	switch (c->nr) {
	case SYS_open:
		do_open(x, AT_FDCWD, s0, a[1]);
		return true;
	case SYS_openat:
		do_open(x, (int64_t)a[0], s0, a[2]);
		return true;
	case SYS_creat:
		do_open(x, AT_FDCWD, s0, O_CREAT | O_WRONLY | O_TRUNC);
		return true;
	case SYS_openat2: {
		const void *how = mem(x, a[2], 8);
		uint64_t fl = 0;
		if (how)
			memcpy(&fl, how, 8);
		do_open(x, (int64_t)a[0], s0, fl);
		return true;
	}
	case SYS_socket:
		d = add(x, ret, FDT_SOCKET, O_RDWR | (a[1] & SOCK_NONBLOCK ? O_NONBLOCK : 0),
		        a[1] & SOCK_CLOEXEC);
		if (d)
			sock_init(d, a[0], a[1], a[2]);
		return true;
	case SYS_eventfd:
	case SYS_eventfd2: {
		uint64_t fl = c->nr == SYS_eventfd2 ? a[1] : 0;
		d = add(x, ret, FDT_EVENTFD, O_RDWR | (int)(fl & O_NONBLOCK), fl & O_CLOEXEC);
		if (d) {
			d->count = (uint32_t)a[0];
			d->count_known = true;
			d->efd_flags = (int)fl;
		}
		return true;
	}
	case SYS_timerfd_create:
		d = add(x, ret, FDT_TIMERFD, O_RDWR | (int)(a[1] & O_NONBLOCK), a[1] & O_CLOEXEC);
		if (d)
			d->clockid = (int)a[0];
		return true;
	case SYS_epoll_create:
	case SYS_epoll_create1: {
		uint64_t fl = c->nr == SYS_epoll_create1 ? a[0] : 0;
		add(x, ret, FDT_EPOLL, O_RDWR, fl & O_CLOEXEC);
		return true;
	}
	case SYS_memfd_create:
		d = add(x, ret, FDT_MEMFD, O_RDWR, a[1] & 1 /* MFD_CLOEXEC */);
		if (d)
			d->path = xasprintf("memfd:%s", s0 ? s0 : "");
		return true;
	case SYS_inotify_init:
	case SYS_inotify_init1: {
		uint64_t fl = c->nr == SYS_inotify_init1 ? a[0] : 0;
		add(x, ret, FDT_INOTIFY, O_RDONLY | (int)(fl & O_NONBLOCK), fl & O_CLOEXEC);
		return true;
	}
	case SYS_pidfd_open:
		d = add(x, ret, FDT_PIDFD, O_RDWR | (int)(a[1] & O_NONBLOCK), true);
		if (d)
			d->pid = (int)a[0];
		return true;
	case SYS_io_uring_setup:
		d = add(x, ret, FDT_OTHER, O_RDWR, true);
		if (d)
			d->path = xstrdup("anon_inode:[io_uring]");
		return true;
	case SYS_perf_event_open:
	case SYS_userfaultfd:
	case SYS_fanotify_init:
	case SYS_bpf:
		d = add(x, ret, FDT_OTHER, O_RDWR, false);
		if (d)
			d->path = xasprintf("anon_inode:[%s]", sys_name(c->nr));
		return true;
	}
	return false;
}

static void changing(const struct ctx *x)
{
	const uint64_t *a = x->a;
	const struct fdt_call *c = x->c;
	int64_t ret = c->ret;
	const char *s0 = c->nstrings ? c->strings[0] : NULL;
	struct fdt_desc *d;
	switch (c->nr) {
	case SYS_dup:
		do_dup(x, a[0], ret, false);
		break;
	case SYS_dup2:
		do_dup(x, a[0], ret, false);
		break;
	case SYS_dup3:
		do_dup(x, a[0], ret, a[2] & O_CLOEXEC);
		break;
	case SYS_fcntl:
		do_fcntl(x);
		break;
	case SYS_close_range:
		do_close_range(x);
		break;
	case SYS_pipe:
	case SYS_pipe2: {
		uint64_t fl = c->nr == SYS_pipe2 ? a[1] : 0;
		int nb = (int)(fl & O_NONBLOCK);
		do_pair(x, a[0], FDT_PIPE, O_RDONLY | nb, O_WRONLY | nb, fl & O_CLOEXEC);
		break;
	}
	case SYS_socketpair: {
		int nb = a[1] & SOCK_NONBLOCK ? O_NONBLOCK : 0;
		do_pair(x, a[3], FDT_SOCKET, O_RDWR | nb, O_RDWR | nb, a[1] & SOCK_CLOEXEC);
		const int32_t *fds = mem(x, a[3], 8);
		for (int i = 0; fds && i < 2; i++) {
			int32_t fd;
			memcpy(&fd, fds + i, 4);
			if ((d = desc_of(x, (uint64_t)fd))) {
				sock_init(d, a[0], a[1], a[2]);
				d->connected = true;
			}
		}
		break;
	}
	case SYS_bind:
		if ((d = desc_of(x, a[0])))
			set_addr(&d->local, &d->local_len, mem(x, a[1], (size_t)a[2]), (size_t)a[2]);
		break;
	case SYS_connect:
		if ((d = desc_of(x, a[0]))) {
			set_addr(&d->peer, &d->peer_len, mem(x, a[1], (size_t)a[2]), (size_t)a[2]);
			d->connected = true;
		}
		break;
	case SYS_listen:
		if ((d = desc_of(x, a[0]))) {
			d->listening = true;
			d->backlog = (int)a[1];
		}
		break;
	case SYS_accept:
		do_accept(x, 0);
		break;
	case SYS_accept4:
		do_accept(x, a[3]);
		break;
	case SYS_getsockname:
		if ((d = desc_of(x, a[0])))
			addr_out(x, a[1], a[2], &d->local, &d->local_len);
		break;
	case SYS_getpeername:
		if ((d = desc_of(x, a[0])))
			addr_out(x, a[1], a[2], &d->peer, &d->peer_len);
		break;
	case SYS_shutdown:
		if ((d = desc_of(x, a[0]))) {
			d->shut_rd |= a[1] == SHUT_RD || a[1] == SHUT_RDWR;
			d->shut_wr |= a[1] == SHUT_WR || a[1] == SHUT_RDWR;
		}
		break;
	case SYS_read:
	case SYS_readv:
		moved(x, a[0], false);
		break;
	case SYS_write:
	case SYS_writev:
		moved(x, a[0], true);
		break;
	case SYS_lseek:
		if ((d = desc_of(x, a[0]))) {
			d->offset = ret;
			d->offset_known = true;
			d->at_end = false;
		}
		break;
	case SYS_sendfile:
		if (ret > 0 && !a[2] && (d = desc_of(x, a[1])) && d->type == FDT_FILE)
			d->offset += ret;
		if (ret > 0 && (d = desc_of(x, a[0])) && d->type == FDT_FILE)
			moved(x, a[0], true);
		break;
	case SYS_getdents:
	case SYS_getdents64:
		do_getdents(x);
		break;
	case SYS_fstat:
		do_fstat(x);
		break;
	case SYS_epoll_ctl:
		do_epoll_ctl(x);
		break;
	case SYS_signalfd:
		do_signalfd(x, 0);
		break;
	case SYS_signalfd4:
		do_signalfd(x, a[3]);
		break;
	case SYS_timerfd_settime:
		do_timerfd_settime(x);
		break;
	case SYS_inotify_add_watch:
		do_inotify_watch(x);
		break;
	case SYS_inotify_rm_watch:
		do_inotify_rm(x);
		break;
	case SYS_chdir:
		do_chdir(x, s0);
		break;
	case SYS_fchdir:
		if ((d = desc_of(x, a[0])) && d->path)
			do_chdir(x, d->path);
		break;
	case SYS_unlink:
	case SYS_rmdir:
		path_call(x, AT_FDCWD, 0, false, 0, 0);
		break;
	case SYS_unlinkat:
		path_call(x, (int64_t)a[0], 0, false, 0, 0);
		break;
	case SYS_rename:
		path_call(x, AT_FDCWD, 0, true, 1, AT_FDCWD);
		break;
	case SYS_renameat:
	case SYS_renameat2:
		path_call(x, (int64_t)a[0], 0, true, 1, (int64_t)a[2]);
		break;
	}
}

void fdtab_call(struct fdtab *m, int tid, const struct fdt_call *c)
{
	if (!c->returned)
		return;
	pthread_mutex_lock(&m->mu);
	struct fdt_task *t = fdt_task_get(m, tid);
	struct ctx x = { m, t, t->tab, c, c->args };
	if (c->nr == SYS_close) {
		/* closed even when it reports an error, but EBADF */
		if (c->ret != -EBADF)
			fdt_close(x.tb, (int)c->args[0]);
	} else if (!sys_failed(c->ret) || c->nr == SYS_connect) {
		if (c->nr == SYS_connect && sys_failed(c->ret) && c->ret != -EINPROGRESS)
			;
		else if (!creating(&x))
			changing(&x);
	}
	pthread_mutex_unlock(&m->mu);
}
