/* capture.c -- interpret a row's out-specs (memory the kernel wrote) and
 * in-specs (bytes a write-family call handed to the kernel). */
#include <string.h>
#include <sys/uio.h>
#include <xxhash.h>

#include "core/util.h"
#include "syscalls/table.h"

#define MAX_OUT   (1ull << 31)
#define MAX_IOV   1024

static void out_one(const struct outspec *o, struct capture *cap,
                    const uint64_t args[6], int64_t ret)
{
	uint64_t addr = args[o->arg], len = 0;
	if (!addr)
		return;
	switch (o->kind) {
	case O_RET:
		len = ret > 0 ? (uint64_t)ret : 0;
		break;
	case O_FIX:
		len = o->size;  /* written on some errors too (nanosleep's rem) */
		break;
	case O_RETMAX:
		len = ret > 0 ? MIN((uint64_t)ret, args[o->aux]) : 0;
		break;
	case O_ARG:
		len = ret >= 0 ? args[o->aux] : 0;
		break;
	case O_PLEN: {
		uint32_t l = 0;
		if (ret >= 0 && args[o->aux] &&
		    cap->read(cap->ctx, args[o->aux], &l, 4) == 4)
			len = MIN(l, 65536u);
		break;
	}
	case O_RETMUL:
		len = ret > 0 ? (uint64_t)ret * o->size : 0;
		break;
	case O_ARGMUL:
		len = ret >= 0 ? args[o->aux] * o->size : 0;
		break;
	case O_FDSET:
		len = ret >= 0 ? ((args[0] & 0xffff) + 63) / 64 * 8 : 0;
		break;
	default:
		return;
	}
	if (len && len <= MAX_OUT)
		cap->region(cap->ctx, addr, len);
}

void sys_capture_out(const struct sysdesc *d, struct capture *cap,
                     const uint64_t args[6], int64_t ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(d->out); i++)
		if (d->out[i].kind != O_NONE)
			out_one(&d->out[i], cap, args, ret);
	if (d->fn)
		d->fn(cap, args, ret);
}

/* ---- in-data ------------------------------------------------------------ */

struct gather {
	mem_read_fn rd;
	void *ctx;
	XXH3_state_t *st;
	struct indata *out;
	size_t prefix_max;
	void (*sink)(void *, const uint8_t *, size_t);
	void *sink_ctx;
	bool ok;
};

static void gather_range(struct gather *g, uint64_t addr, uint64_t len)
{
	uint8_t tmp[65536];
	while (len && g->ok) {
		size_t n = MIN(len, sizeof(tmp));
		long got = g->rd(g->ctx, addr, tmp, n);
		if (got <= 0) {
			g->ok = false;    /* EFAULT territory: the kernel saw the same */
			return;
		}
		XXH3_64bits_update(g->st, tmp, got);
		if (g->out->prefix_len < g->prefix_max) {
			size_t k = MIN((size_t)got, g->prefix_max - g->out->prefix_len);
			memcpy(g->out->prefix + g->out->prefix_len, tmp, k);
			g->out->prefix_len += k;
		}
		if (g->sink)
			g->sink(g->sink_ctx, tmp, got);
		g->out->total += got;
		addr += got;
		len -= got;
		if ((size_t)got < n)
			g->ok = false;
	}
}

static void gather_iov(struct gather *g, uint64_t iov, uint64_t cnt)
{
	if (cnt > MAX_IOV)
		return;
	struct iovec v[MAX_IOV];
	size_t bytes = cnt * sizeof(struct iovec);
	if (cnt && g->rd(g->ctx, iov, v, bytes) != (long)bytes) {
		g->ok = false;
		return;
	}
	for (uint64_t i = 0; i < cnt && g->ok; i++)
		gather_range(g, (uint64_t)v[i].iov_base, v[i].iov_len);
}

bool sys_gather_in(const struct sysdesc *d, mem_read_fn rd, void *ctx,
                   const uint64_t args[6], size_t prefix_max, struct indata *out,
                   void (*sink)(void *, const uint8_t *, size_t), void *sink_ctx)
{
	if (d->in_kind == I_NONE || d->in_kind == I_KERNEL)
		return false;
	memset(out, 0, sizeof(*out));
	out->prefix = xmalloc(prefix_max ? prefix_max : 1);
	struct gather g = { rd, ctx, XXH3_createState(), out, prefix_max, sink, sink_ctx, true };
	XXH3_64bits_reset(g.st);
	switch (d->in_kind) {
	case I_BUF:
		gather_range(&g, args[d->in_arg], args[d->in_aux]);
		break;
	case I_IOV:
		gather_iov(&g, args[d->in_arg], args[d->in_aux]);
		break;
	case I_MSG: {
		struct { uint64_t name; uint32_t namelen, pad; uint64_t iov, iovlen; } m;
		if (rd(ctx, args[d->in_arg], &m, sizeof(m)) == sizeof(m))
			gather_iov(&g, m.iov, m.iovlen);
		break;
	}
	}
	out->hash = XXH3_64bits_digest(g.st);
	XXH3_freeState(g.st);
	return true;
}
