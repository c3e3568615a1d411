/* fdtab_sock.c -- what the socket calls do to the fd tables (fdtab.h):
 * their addresses, accept, and descriptions passed by SCM_RIGHTS. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "core/util.h"
#include "syscalls/fdtab_int.h"

void fdt_setsockopt(const struct fdt_ctx *x)
{
	const uint64_t *a = x->a;
	struct fdt_desc *d = fdt_desc_of(x, a[0]);
	uint32_t len = (uint32_t)a[4];
	const void *v = fdt_mem(x, a[3], len);
	if (!d || !v)
		return;
	size_t i = 0;
	while (i < d->nopts && (d->opts[i].level != (int)a[1] || d->opts[i].name != (int)a[2]))
		i++;
	if (i == d->nopts) {
		d->opts = xrealloc(d->opts, (d->nopts + 1) * sizeof(*d->opts));
		d->nopts++;
	}
	struct fdt_sockopt *o = &d->opts[i];
	*o = (struct fdt_sockopt){ .level = (int)a[1], .name = (int)a[2], .len = len };
	memcpy(o->value, v, MIN(len, sizeof(o->value)));
}

void fdt_sock_init(struct fdt_desc *d, uint64_t family, uint64_t type, uint64_t proto)
{
	d->family = (int)family;
	d->socktype = (int)type & 0xf;       /* SOCK_TYPE_MASK */
	d->protocol = (int)proto;
}

void fdt_set_addr(struct sockaddr_storage *ss, socklen_t *len, const void *p, size_t n)
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
		fdt_set_addr(&d->local, &d->local_len, local, llen);
	if (plen)
		fdt_set_addr(&d->peer, &d->peer_len, peer, plen);
}

/* getsockname / getpeername / accept: the address the kernel wrote at
 * addr, of the length it wrote at lenp (cut to what fitted). */
bool fdt_addr_out(const struct fdt_ctx *x, uint64_t addr, uint64_t lenp,
                     struct sockaddr_storage *ss, socklen_t *len)
{
	const uint32_t *lp = fdt_mem(x, lenp, 4);
	if (!lp)
		return false;
	uint32_t n;
	memcpy(&n, lp, 4);
	n = MIN(n, (uint32_t)sizeof(*ss));
	const void *p = fdt_mem(x, addr, n);
	fdt_set_addr(ss, len, p, n);
	return p != NULL;
}

void fdt_accept(const struct fdt_ctx *x, uint64_t flags)
{
	const uint64_t *a = x->a;
	struct fdt_desc *l = fdt_desc_of(x, a[0]);
	int fl = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	struct fdt_desc *d = fdt_add(x, x->c->ret, FDT_SOCKET, fl, flags & SOCK_CLOEXEC);
	if (!d)
		return;
	d->connected = true;
	if (l) {
		fdt_sock_init(d, (uint64_t)l->family, (uint64_t)l->socktype, (uint64_t)l->protocol);
		d->local = l->local;
		d->local_len = l->local_len;
	}
	fdt_addr_out(x, a[1], a[2], &d->peer, &d->peer_len);
}

/* A description by id, in any table. */
static struct fdt_desc *desc_by_id(struct fdtab *m, uint64_t id)
{
	for (size_t i = 0; id && i < m->ntasks; i++) {
		struct fdt_table *tb = m->tasks[i].tab;
		for (size_t j = 0; j < tb->n; j++)
			if (tb->fds[j].desc->id == id)
				return tb->fds[j].desc;
	}
	return NULL;
}

/* Each fd of a msghdr's SCM_RIGHTS control data (the header at addr):
 * fn(x, fd, arg). */
static void each_passed(const struct fdt_ctx *x, uint64_t addr,
                        void (*fn)(const struct fdt_ctx *x, int fd, void *arg), void *arg)
{
	const uint8_t *mh = fdt_mem(x, addr, 56);        /* x86-64 struct msghdr */
	if (!mh)
		return;
	uint64_t control, clen;
	memcpy(&control, mh + 32, 8);
	memcpy(&clen, mh + 40, 8);
	const uint8_t *cm = fdt_mem(x, control, (size_t)clen);
	if (!cm)
		return;
	for (uint64_t off = 0; off + 16 <= clen;) {
		uint64_t len;
		int32_t level, type;
		memcpy(&len, cm + off, 8);
		memcpy(&level, cm + off + 8, 4);
		memcpy(&type, cm + off + 12, 4);
		if (len < 16 || len > clen - off)
			break;
		for (uint64_t i = 16; level == SOL_SOCKET && type == SCM_RIGHTS && i + 4 <= len;
		     i += 4) {
			int32_t fd;
			memcpy(&fd, cm + off + i, 4);
			fn(x, fd, arg);
		}
		off += (len + 7) & ~7ull;
	}
}

static void send_one(const struct fdt_ctx *x, int fd, void *arg)
{
	struct fdt_desc *to = arg, *d = fdt_desc_of(x, (uint64_t)(unsigned)fd);
	if (!d)
		return;
	to->inflight = xrealloc(to->inflight, (to->ninflight + 1) * sizeof(*to->inflight));
	to->inflight[to->ninflight++] = d;
	d->refs++;
}

/* sendmsg with SCM_RIGHTS: the descriptions wait at the other end (a
 * socketpair's: the one end the trace ties to this one). */
void fdt_sendmsg(const struct fdt_ctx *x)
{
	struct fdt_desc *s = fdt_desc_of(x, x->a[0]);
	struct fdt_desc *to = s ? desc_by_id(x->m, s->peer_desc) : NULL;
	if (to)
		each_passed(x, x->a[1], send_one, to);
}

/* recvmsg: fds passed by SCM_RIGHTS are new fds here, sharing what was
 * sent to this end, or UNKNOWN when the trace does not say what. */
static void recv_one(const struct fdt_ctx *x, int fd, void *arg)
{
	struct fdt_desc *at = arg, *d;
	bool cloexec = x->a[2] & MSG_CMSG_CLOEXEC;
	if (at && at->ninflight) {
		d = at->inflight[0];
		memmove(at->inflight, at->inflight + 1, --at->ninflight * sizeof(*at->inflight));
		fdt_install(x->tb, fd, d, cloexec ? FD_CLOEXEC : 0);
		fdt_desc_put(d);
		return;
	}
	d = fdt_add(x, fd, FDT_UNKNOWN, O_RDWR, cloexec);
	if (d)
		d->path = xstrdup("received by SCM_RIGHTS");
}

void fdt_recvmsg(const struct fdt_ctx *x)
{
	each_passed(x, x->a[1], recv_one, fdt_desc_of(x, x->a[0]));
}
