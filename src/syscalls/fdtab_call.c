/* fdtab_call.c -- what each syscall does to the fd tables (fdtab.h);
 * the socket calls' details are fdtab_sock.c's, the event fds' (eventfd,
 * timerfd, signalfd, epoll, inotify) fdtab_anon.c's.
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

const void *fdt_mem(const struct fdt_ctx *x, uint64_t addr, size_t len)
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

struct fdt_desc *fdt_desc_of(const struct fdt_ctx *x, uint64_t fd)
{
	struct fdt_fd *f = fdt_lookup(x->tb, (int)fd);
	return f ? f->desc : NULL;
}

/* path made absolute from the task's cwd, or dirfd's path. */
char *fdt_abs_path(const struct fdt_ctx *x, int64_t dirfd, const char *path)
{
	if (!path)
		return NULL;
	if (path[0] == '/')
		return xstrdup(path);
	const char *base = x->t->cwd;
	if ((int)dirfd != AT_FDCWD) {
		struct fdt_desc *d = fdt_desc_of(x, (uint64_t)dirfd);
		base = d && d->path && d->path[0] == '/' ? d->path : NULL;
		if (!base)
			return xstrdup(path);
	}
	if (!strcmp(path, ".") || !*path)
		return xstrdup(base);
	return xasprintf("%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", path);
}

/* Install a new description at fd, made by this call. */
struct fdt_desc *fdt_add(const struct fdt_ctx *x, int64_t fd, enum fdt_type type, int flags,
                            bool cloexec)
{
	if (fd < 0 || fd > INT_MAX)
		return NULL;
	struct fdt_desc *d = fdt_desc_new(x->m, type);
	d->flags = flags;
	fdt_install(x->tb, (int)fd, d, cloexec ? FD_CLOEXEC : 0);  /* its one reference */
	return d;
}

static void do_open(const struct fdt_ctx *x, int64_t dirfd, const char *path, uint64_t flags)
{
	int64_t ret = x->c->ret;
	/* O_TMPFILE includes O_DIRECTORY: an unnamed file in that directory */
	bool tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
	enum fdt_type type = flags & O_DIRECTORY && !tmpfile ? FDT_DIR : FDT_FILE;
	uint64_t only = OPEN_ONLY | (tmpfile ? O_TMPFILE : 0);
	struct fdt_desc *d = fdt_add(x, ret, type, (int)(flags & ~only), flags & O_CLOEXEC);
	if (d) {
		d->path = fdt_abs_path(x, dirfd, path);
		d->deleted = tmpfile;
	}
}

static void do_dup(const struct fdt_ctx *x, uint64_t old, int64_t newfd, bool cloexec)
{
	struct fdt_desc *d = fdt_desc_of(x, old);
	if (newfd < 0 || newfd > INT_MAX)
		return;
	if (!d) {
		/* an fd the model never saw made: its copy is as unknown */
		fdt_add(x, newfd, FDT_UNKNOWN, 0, cloexec);
		return;
	}
	if ((int64_t)old != newfd)
		fdt_install(x->tb, (int)newfd, d, cloexec ? FD_CLOEXEC : 0);
}

static void do_fcntl(const struct fdt_ctx *x)
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

static void do_close_range(const struct fdt_ctx *x)
{
	const uint64_t *a = x->a;
	if (a[2] & CLOSE_RANGE_UNSHARE)
		fdt_unshare(x->t);
	struct fdt_table *tb = x->t->tab;
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

static void do_pair(const struct fdt_ctx *x, uint64_t addr, enum fdt_type type, int flags0,
                    int flags1, bool cloexec)
{
	const int32_t *fds = fdt_mem(x, addr, 8);
	if (!fds)
		return;
	int32_t fd[2];
	memcpy(fd, fds, sizeof(fd));
	struct fdt_desc *d0 = fdt_add(x, fd[0], type, flags0, cloexec);
	struct fdt_desc *d1 = fdt_add(x, fd[1], type, flags1, cloexec);
	if (!d0 || !d1)
		return;
	d0->pipe_id = d1->pipe_id = x->m->next_pipe++;
	d0->end = 0;
	d1->end = 1;
	d0->peer_desc = d1->id;
	d1->peer_desc = d0->id;
}

/* read/write family on a file: the position moves, but not with
 * O_APPEND, where it ends at the end of the file, which the trace does
 * not say (unless a buffered batch's fact does later: fdtab_buf.c). */
static void moved(const struct fdt_ctx *x, uint64_t fd, bool wr)
{
	struct fdt_desc *d = fdt_desc_of(x, fd);
	int64_t ret = x->c->ret;
	if (!d || ret <= 0)
		return;
	if (d->type == FDT_EVENTFD) {
		fdt_eventfd_rw(x, d, !wr);
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

static void do_getdents(const struct fdt_ctx *x)
{
	struct fdt_desc *d = fdt_desc_of(x, x->a[0]);
	int64_t ret = x->c->ret;
	if (!d || ret <= 0)
		return;
	d->type = FDT_DIR;
	const uint8_t *p = fdt_mem(x, x->a[1], (size_t)ret);
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

static void do_fstat(const struct fdt_ctx *x)
{
	struct fdt_desc *d = fdt_desc_of(x, x->a[0]);
	const uint8_t *st = fdt_mem(x, x->a[1], 144);
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

static void path_call(const struct fdt_ctx *x, int64_t dirfd, int arg, bool is_rename, int arg2,
                      int64_t dirfd2)
{
	const struct fdt_call *c = x->c;
	if ((size_t)arg >= c->nstrings || !c->strings[arg])
		return;
	char *p = fdt_abs_path(x, dirfd, c->strings[arg]);
	if (!is_rename) {
		each_desc(x->m, p, mark_deleted, NULL);
	} else if ((size_t)arg2 < c->nstrings && c->strings[arg2]) {
		char *to = fdt_abs_path(x, dirfd2, c->strings[arg2]);
		each_desc(x->m, p, rename_to, to);
		free(to);
	}
	free(p);
}

static void do_chdir(const struct fdt_ctx *x, const char *to)
{
	if (!to)
		return;
	char *p = fdt_abs_path(x, AT_FDCWD, to);
	free(x->t->cwd);
	x->t->cwd = p;
}

/* Calls that make a new fd from scratch. */
static bool creating(const struct fdt_ctx *x)
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
		const void *how = fdt_mem(x, a[2], 8);
		uint64_t fl = 0;
		if (how)
			memcpy(&fl, how, 8);
		do_open(x, (int64_t)a[0], s0, fl);
		return true;
	}
	case SYS_socket:
		d = fdt_add(x, ret, FDT_SOCKET, O_RDWR | (a[1] & SOCK_NONBLOCK ? O_NONBLOCK : 0),
		        a[1] & SOCK_CLOEXEC);
		if (d)
			fdt_sock_init(d, a[0], a[1], a[2]);
		return true;
	case SYS_eventfd:
	case SYS_eventfd2: {
		uint64_t fl = c->nr == SYS_eventfd2 ? a[1] : 0;
		d = fdt_add(x, ret, FDT_EVENTFD, O_RDWR | (int)(fl & O_NONBLOCK), fl & O_CLOEXEC);
		if (d) {
			d->count = (uint32_t)a[0];
			d->count_known = true;
			d->efd_flags = (int)fl;
		}
		return true;
	}
	case SYS_timerfd_create:
		d = fdt_add(x, ret, FDT_TIMERFD, O_RDWR | (int)(a[1] & O_NONBLOCK), a[1] & O_CLOEXEC);
		if (d)
			d->clockid = (int)a[0];
		return true;
	case SYS_epoll_create:
	case SYS_epoll_create1: {
		uint64_t fl = c->nr == SYS_epoll_create1 ? a[0] : 0;
		fdt_add(x, ret, FDT_EPOLL, O_RDWR, fl & O_CLOEXEC);
		return true;
	}
	case SYS_memfd_create:
		d = fdt_add(x, ret, FDT_MEMFD, O_RDWR, a[1] & 1 /* MFD_CLOEXEC */);
		if (d)
			d->path = xasprintf("memfd:%s", s0 ? s0 : "");
		return true;
	case SYS_inotify_init:
	case SYS_inotify_init1: {
		uint64_t fl = c->nr == SYS_inotify_init1 ? a[0] : 0;
		fdt_add(x, ret, FDT_INOTIFY, O_RDONLY | (int)(fl & O_NONBLOCK), fl & O_CLOEXEC);
		return true;
	}
	case SYS_pidfd_open:
		d = fdt_add(x, ret, FDT_PIDFD, O_RDWR | (int)(a[1] & O_NONBLOCK), true);
		if (d)
			d->pid = (int)a[0];
		return true;
	case SYS_io_uring_setup:
		d = fdt_add(x, ret, FDT_OTHER, O_RDWR, true);
		if (d)
			d->path = xstrdup("anon_inode:[io_uring]");
		return true;
	case SYS_perf_event_open:
	case SYS_userfaultfd:
	case SYS_fanotify_init:
	case SYS_bpf:
		d = fdt_add(x, ret, FDT_OTHER, O_RDWR, false);
		if (d)
			d->path = xasprintf("anon_inode:[%s]", sys_name(c->nr));
		return true;
	}
	return false;
}

static void changing(const struct fdt_ctx *x)
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
		const int32_t *fds = fdt_mem(x, a[3], 8);
		for (int i = 0; fds && i < 2; i++) {
			int32_t fd;
			memcpy(&fd, fds + i, 4);
			if ((d = fdt_desc_of(x, (uint64_t)fd))) {
				fdt_sock_init(d, a[0], a[1], a[2]);
				d->connected = true;
			}
		}
		break;
	}
	case SYS_bind:
		if ((d = fdt_desc_of(x, a[0])))
			fdt_set_addr(&d->local, &d->local_len, fdt_mem(x, a[1], (size_t)a[2]), (size_t)a[2]);
		break;
	case SYS_connect:
		if ((d = fdt_desc_of(x, a[0]))) {
			fdt_set_addr(&d->peer, &d->peer_len, fdt_mem(x, a[1], (size_t)a[2]), (size_t)a[2]);
			d->connected = true;
		}
		break;
	case SYS_listen:
		if ((d = fdt_desc_of(x, a[0]))) {
			d->listening = true;
			d->backlog = (int)a[1];
		}
		break;
	case SYS_accept:
		fdt_accept(x, 0);
		break;
	case SYS_accept4:
		fdt_accept(x, a[3]);
		break;
	case SYS_getsockname:
		if ((d = fdt_desc_of(x, a[0])))
			fdt_addr_out(x, a[1], a[2], &d->local, &d->local_len);
		break;
	case SYS_getpeername:
		if ((d = fdt_desc_of(x, a[0])))
			fdt_addr_out(x, a[1], a[2], &d->peer, &d->peer_len);
		break;
	case SYS_shutdown:
		if ((d = fdt_desc_of(x, a[0]))) {
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
		if ((d = fdt_desc_of(x, a[0]))) {
			d->offset = ret;
			d->offset_known = true;
			d->at_end = false;
		}
		break;
	case SYS_sendfile:
		if (ret > 0 && !a[2] && (d = fdt_desc_of(x, a[1])) && d->type == FDT_FILE)
			d->offset += ret;
		if (ret > 0 && (d = fdt_desc_of(x, a[0])) && d->type == FDT_FILE)
			moved(x, a[0], true);
		break;
	case SYS_copy_file_range:       /* a NULL offset pointer: the fd's moves */
		if (ret > 0 && !a[1] && (d = fdt_desc_of(x, a[0])) && d->type == FDT_FILE)
			d->offset += ret;
		if (ret > 0 && !a[3] && (d = fdt_desc_of(x, a[2])))
			moved(x, a[2], true);
		break;
	case SYS_getdents:
	case SYS_getdents64:
		do_getdents(x);
		break;
	case SYS_fstat:
		do_fstat(x);
		break;
	case SYS_epoll_ctl:
		fdt_epoll_ctl(x);
		break;
	case SYS_recvmsg:
		fdt_recvmsg(x);
		break;
	case SYS_sendmsg:
		fdt_sendmsg(x);
		break;
	case SYS_setsockopt:
		fdt_setsockopt(x);
		break;
	case SYS_signalfd:
		fdt_signalfd(x, 0);
		break;
	case SYS_signalfd4:
		fdt_signalfd(x, a[3]);
		break;
	case SYS_timerfd_settime:
		fdt_timerfd_settime(x);
		break;
	case SYS_inotify_add_watch:
		fdt_inotify_watch(x);
		break;
	case SYS_inotify_rm_watch:
		fdt_inotify_rm(x);
		break;
	case SYS_chdir:
		do_chdir(x, s0);
		break;
	case SYS_fchdir:
		if ((d = fdt_desc_of(x, a[0])) && d->path)
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
	struct fdt_ctx x = { m, t, t->tab, c, c->args };
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
