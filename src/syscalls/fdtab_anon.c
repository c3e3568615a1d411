/* fdtab_anon.c -- what the calls on eventfds, timerfds, signalfds,
 * epoll sets and inotify instances do to their descriptions (fdtab.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "core/util.h"
#include "syscalls/fdtab_int.h"

void fdt_eventfd_rw(const struct fdt_ctx *x, struct fdt_desc *d, bool rd)
{
	if (x->c->ret != 8 || !d->count_known)
		return;
	if (rd) {
		d->count = d->efd_flags & 1 /* EFD_SEMAPHORE */ ? d->count - 1 : 0;
		return;
	}
	const void *p = fdt_mem(x, x->a[1], 8);
	uint64_t v;
	if (!p) {
		d->count_known = false;
		return;
	}
	memcpy(&v, p, 8);
	d->count += v;
}

void fdt_epoll_ctl(const struct fdt_ctx *x)
{
	const uint64_t *a = x->a;
	struct fdt_desc *ep = fdt_desc_of(x, a[0]);
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
	const uint8_t *ev = fdt_mem(x, a[3], 12);  /* packed: u32 events, u64 data */
	if (i == ep->nregs) {
		if ((int)a[1] != 1 /* EPOLL_CTL_ADD */)
			return;
		ep->regs = xrealloc(ep->regs, (ep->nregs + 1) * sizeof(ep->regs[0]));
		ep->nregs++;
		struct fdt_desc *target = fdt_desc_of(x, a[2]);
		ep->regs[i] = (struct fdt_epoll_reg){ .fd = (int)a[2],
		                                      .desc = target ? target->id : 0 };
	}
	if (ev) {
		memcpy(&ep->regs[i].events, ev, 4);
		memcpy(&ep->regs[i].data, ev + 4, 8);
	}
}

void fdt_signalfd(const struct fdt_ctx *x, uint64_t flags)
{
	const uint64_t *a = x->a;
	struct fdt_desc *d = (int)a[0] == -1 ? fdt_add(x, x->c->ret, FDT_SIGNALFD,
	                                            O_RDONLY | (flags & O_NONBLOCK), flags & O_CLOEXEC)
	                                     : fdt_desc_of(x, a[0]);
	const void *p = fdt_mem(x, a[1], 8);
	if (d && p)
		memcpy(&d->sigmask, p, 8);
}

void fdt_timerfd_settime(const struct fdt_ctx *x)
{
	const uint64_t *a = x->a;
	struct fdt_desc *d = fdt_desc_of(x, a[0]);
	const uint8_t *p = fdt_mem(x, a[2], 32);
	if (!d || !p)
		return;
	d->tfd_settime_flags = (int)a[1];
	memcpy(&d->it_interval, p, 16);
	memcpy(&d->it_value, p + 16, 16);
}

void fdt_inotify_watch(const struct fdt_ctx *x)
{
	struct fdt_desc *d = fdt_desc_of(x, x->a[0]);
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
	d->watches[i].path = fdt_abs_path(x, AT_FDCWD, x->c->nstrings ? x->c->strings[0] : NULL);
}

void fdt_inotify_rm(const struct fdt_ctx *x)
{
	struct fdt_desc *d = fdt_desc_of(x, x->a[0]);
	for (size_t i = 0; d && i < d->nwatches; i++)
		if (d->watches[i].wd == (int)x->a[1]) {
			free(d->watches[i].path);
			d->watches[i] = d->watches[--d->nwatches];
			return;
		}
}
