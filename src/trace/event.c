/* event.c -- encode and decode events (the layout described in event.h). */
#include "trace/event.h"

#include <stdlib.h>
#include <string.h>

#include "preload/sbuf.h"

#define MAX_REGIONS 4096
#define MAX_VEC     (1u << 20)

static void put_bytes(struct buf *b, struct ev_bytes x) { buf_bytes(b, x.p, x.len); }
static struct ev_bytes get_bytes(struct cur *c);

static void encode_syscall(struct buf *b, const struct ev_syscall *s)
{
	buf_varint(b, (uint32_t)s->nr);
	buf_varint(b, s->flags);
	buf_u8(b, s->nargs);
	for (int i = 0; i < s->nargs; i++)
		buf_varint(b, s->args[i]);
	buf_svarint(b, s->ret);
	buf_varint(b, s->ip);
	buf_u64(b, s->reghash);
	if (s->flags & SYSF_INDATA) {
		buf_u64(b, s->inhash);
		buf_varint(b, s->inlen);
		put_bytes(b, s->inprefix);
	}
	if (s->flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR))
		buf_varint(b, s->outseq);
	buf_varint(b, s->nstrings);
	for (uint32_t i = 0; i < s->nstrings; i++)
		put_bytes(b, s->strings[i]);
	buf_varint(b, s->nregions);
	for (uint32_t i = 0; i < s->nregions; i++) {
		buf_varint(b, s->regions[i].addr);
		put_bytes(b, s->regions[i].data);
	}
	if (s->flags & SYSF_FILE)
		buf_u64(b, s->filehash);
	if (s->flags & SYSF_SHARED)
		buf_varint(b, s->shobj);
	if (s->flags & SYSF_OBJWRITE)
		buf_varint(b, s->objoff);
	if (s->flags & SYSF_SOCKNAME) {
		put_bytes(b, s->sockname[0]);
		put_bytes(b, s->sockname[1]);
	}
	if (s->flags & SYSF_FDPOS)
		buf_varint(b, s->fdpos);
}

static void encode_exec(struct buf *b, const struct ev_exec *x)
{
	put_bytes(b, x->path);
	buf_u64(b, x->exe_hash);
	put_bytes(b, x->image);
	buf_u64(b, x->interp_hash);
	buf_varint(b, x->interp_addr);
	put_bytes(b, x->interp_orig);
	buf_varint(b, x->argc);
	for (uint32_t i = 0; i < x->argc; i++)
		put_bytes(b, x->argv[i]);
	buf_varint(b, x->envc);
	for (uint32_t i = 0; i < x->envc; i++)
		put_bytes(b, x->envp[i]);
	buf_bytes(b, &x->regs, sizeof(x->regs));
	buf_varint(b, x->stack_lo);
	put_bytes(b, x->stack);
	buf_varint(b, x->nmaps);
	for (uint32_t i = 0; i < x->nmaps; i++) {
		const struct ev_mapping *m = &x->maps[i];
		buf_varint(b, m->start);
		buf_varint(b, m->end);
		buf_varint(b, m->offset);
		buf_varint(b, m->prot);
		buf_u64(b, m->hash);
		put_bytes(b, m->name);
	}
	buf_varint(b, x->vdso_addr);
	put_bytes(b, x->vdso);
	buf_varint(b, x->layout);
	buf_varint(b, x->nmm);
	for (uint32_t i = 0; i < x->nmm; i++)
		buf_varint(b, x->mm[i]);
}

#define MAX_PAGES (1u << 22)

static void encode_sigstate(struct buf *b, const struct ev_sigstate *st)
{
	buf_u8(b, st->kind);
	buf_bytes(b, &st->regs, sizeof(st->regs));
	buf_u64(b, st->memhash);
	buf_varint(b, st->cpu_ns);
	if (st->kind == SIGST_FIXED)
		return;
	put_bytes(b, st->xstate);
	buf_varint(b, st->npages);
	for (uint32_t i = 0; i < st->npages; i++) {
		buf_varint(b, st->pages[i].addr);
		buf_put(b, st->pages[i].data, 4096);
	}
}

static int decode_sigstate(struct cur *c, struct ev_sigstate *st)
{
	st->kind = cur_u8(c);
	struct ev_bytes regs = get_bytes(c);
	if (c->bad || regs.len != sizeof(st->regs) ||
	    (st->kind != SIGST_FIXED && st->kind != SIGST_SNAPSHOT && st->kind != SIGST_DELTA))
		return -1;
	memcpy(&st->regs, regs.p, sizeof(st->regs));
	st->memhash = cur_u64(c);
	st->cpu_ns = cur_varint(c);
	if (st->kind == SIGST_FIXED)
		return c->bad ? -1 : 0;
	st->xstate = get_bytes(c);
	uint64_t n = cur_varint(c);
	if (c->bad || n > MAX_PAGES || n > (uint64_t)(c->end - c->p) / 4096)
		return -1;
	st->npages = n;
	st->pages = n ? xcalloc(n, sizeof(*st->pages)) : NULL;
	for (uint32_t i = 0; i < n; i++) {
		st->pages[i].addr = cur_varint(c);
		st->pages[i].data = cur_take(c, 4096);
	}
	return c->bad ? -1 : 0;
}

void ev_encode(struct buf *b, const struct event *ev)
{
	buf_u8(b, ev->type);
	buf_varint(b, ev->tid);
	switch (ev->type) {
	case EV_SYSCALL:
		encode_syscall(b, &ev->sys);
		break;
	case EV_SIGNAL:
		buf_varint(b, (uint32_t)ev->sig.signo);
		buf_u8(b, ev->sig.kind);
		buf_varint(b, ev->sig.ip);
		put_bytes(b, ev->sig.info);
		if (ev->sig.kind == SIGK_AT_SIGNATURE)
			encode_sigstate(b, &ev->sig.st);
		break;
	case EV_PREEMPT:
		encode_sigstate(b, &ev->pre.st);
		break;
	case EV_RDTSC:
		buf_u8(b, ev->tsc.rdtscp);
		buf_u64(b, ev->tsc.tsc);
		buf_varint(b, ev->tsc.aux);
		buf_varint(b, ev->tsc.ip);
		break;
	case EV_EXEC:
		encode_exec(b, &ev->exec);
		break;
	case EV_EXIT:
		buf_svarint(b, ev->exit.status);
		break;
	case EV_SWITCH:
	case EV_RELEASE:
		buf_varint(b, ev->sched.seq);
		break;
	case EV_JOIN:
		buf_varint(b, ev->sched.group);
		buf_varint(b, ev->sched.seq);
		break;
	case EV_TASK:
		buf_varint(b, ev->task.parent);
		buf_varint(b, ev->task.flags);
		buf_varint(b, ev->task.domain);
		break;
	case EV_BUF:
		buf_varint(b, ev->buf.nrec);
		put_bytes(b, ev->buf.recs);
		break;
	default:
		break;
	}
}

static struct ev_bytes get_bytes(struct cur *c)
{
	struct ev_bytes x;
	x.p = cur_bytes(c, &x.len);
	return x;
}

static int decode_syscall(struct cur *c, struct ev_syscall *s)
{
	s->nr = (int32_t)cur_varint(c);
	s->flags = (uint32_t)cur_varint(c);
	s->nargs = cur_u8(c);
	if (s->nargs > 6)
		return -1;
	for (int i = 0; i < s->nargs; i++)
		s->args[i] = cur_varint(c);
	s->ret = cur_svarint(c);
	s->ip = cur_varint(c);
	s->reghash = cur_u64(c);
	if (s->flags & SYSF_INDATA) {
		s->inhash = cur_u64(c);
		s->inlen = cur_varint(c);
		s->inprefix = get_bytes(c);
	}
	if (s->flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR))
		s->outseq = cur_varint(c);
	uint64_t ns = cur_varint(c);
	if (ns > 2)
		return -1;
	s->nstrings = ns;
	for (uint32_t i = 0; i < s->nstrings; i++)
		s->strings[i] = get_bytes(c);
	uint64_t nr = cur_varint(c);
	if (c->bad || nr > MAX_REGIONS || nr > (uint64_t)(c->end - c->p))
		return -1;
	s->nregions = nr;
	s->regions = nr ? xcalloc(nr, sizeof(*s->regions)) : NULL;
	for (uint32_t i = 0; i < nr; i++) {
		s->regions[i].addr = cur_varint(c);
		s->regions[i].data = get_bytes(c);
	}
	if (s->flags & SYSF_FILE)
		s->filehash = cur_u64(c);
	if (s->flags & SYSF_SHARED)
		s->shobj = (uint32_t)cur_varint(c);
	if (s->flags & SYSF_OBJWRITE)
		s->objoff = cur_varint(c);
	if (s->flags & SYSF_SOCKNAME) {
		s->sockname[0] = get_bytes(c);
		s->sockname[1] = get_bytes(c);
	}
	if (s->flags & SYSF_FDPOS)
		s->fdpos = cur_varint(c);
	return c->bad ? -1 : 0;
}

static struct ev_bytes *get_vec(struct cur *c, uint32_t *count)
{
	uint64_t n = cur_varint(c);
	if (c->bad || n > MAX_VEC || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		*count = 0;
		return NULL;
	}
	*count = n;
	struct ev_bytes *v = xcalloc(n + 1, sizeof(*v));
	for (uint64_t i = 0; i < n; i++)
		v[i] = get_bytes(c);
	return v;
}

static int decode_exec(struct cur *c, struct ev_exec *x)
{
	x->path = get_bytes(c);
	x->exe_hash = cur_u64(c);
	x->image = get_bytes(c);
	x->interp_hash = cur_u64(c);
	x->interp_addr = cur_varint(c);
	x->interp_orig = get_bytes(c);
	x->argv = get_vec(c, &x->argc);
	x->envp = get_vec(c, &x->envc);
	struct ev_bytes regs = get_bytes(c);
	if (c->bad || regs.len != sizeof(x->regs))
		return -1;
	memcpy(&x->regs, regs.p, sizeof(x->regs));
	x->stack_lo = cur_varint(c);
	x->stack = get_bytes(c);
	uint64_t n = cur_varint(c);
	if (c->bad || n > MAX_REGIONS || n > (uint64_t)(c->end - c->p))
		return -1;
	x->nmaps = n;
	x->maps = n ? xcalloc(n, sizeof(*x->maps)) : NULL;
	for (uint32_t i = 0; i < n; i++) {
		struct ev_mapping *m = &x->maps[i];
		m->start = cur_varint(c);
		m->end = cur_varint(c);
		m->offset = cur_varint(c);
		m->prot = (uint32_t)cur_varint(c);
		m->hash = cur_u64(c);
		m->name = get_bytes(c);
	}
	if (c->p < c->end) {        /* a trace of 0.4.0 ends here */
		x->vdso_addr = cur_varint(c);
		x->vdso = get_bytes(c);
		x->layout = (uint32_t)cur_varint(c);
		uint64_t nmm = cur_varint(c);
		if (nmm && nmm != MM_NFIELDS)
			return -1;
		x->nmm = (uint32_t)nmm;
		for (uint32_t i = 0; i < x->nmm; i++)
			x->mm[i] = cur_varint(c);
	}
	return c->bad ? -1 : 0;
}

int ev_decode(const uint8_t *p, size_t len, struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
	struct cur c = { p, p + len, false };
	ev->type = cur_u8(&c);
	ev->tid = (uint32_t)cur_varint(&c);
	int rc = 0;
	switch (ev->type) {
	case EV_SYSCALL:
		rc = decode_syscall(&c, &ev->sys);
		break;
	case EV_SIGNAL:
		ev->sig.signo = (int32_t)cur_varint(&c);
		ev->sig.kind = cur_u8(&c);
		ev->sig.ip = cur_varint(&c);
		ev->sig.info = get_bytes(&c);
		if (ev->sig.info.len != 128 || ev->sig.signo < 1 || ev->sig.signo > 64 ||
		    ev->sig.kind < SIGK_FAULT || ev->sig.kind > SIGK_NESTED)
			rc = -1;
		else if (ev->sig.kind == SIGK_AT_SIGNATURE)
			rc = decode_sigstate(&c, &ev->sig.st);
		break;
	case EV_PREEMPT:
		rc = decode_sigstate(&c, &ev->pre.st);
		break;
	case EV_RDTSC:
		ev->tsc.rdtscp = cur_u8(&c);
		ev->tsc.tsc = cur_u64(&c);
		ev->tsc.aux = (uint32_t)cur_varint(&c);
		ev->tsc.ip = cur_varint(&c);
		break;
	case EV_EXEC:
		rc = decode_exec(&c, &ev->exec);
		break;
	case EV_EXIT:
		ev->exit.status = (int32_t)cur_svarint(&c);
		break;
	case EV_SWITCH:
	case EV_RELEASE:
		ev->sched.seq = cur_varint(&c);
		break;
	case EV_JOIN:
		ev->sched.group = (uint32_t)cur_varint(&c);
		ev->sched.seq = cur_varint(&c);
		break;
	case EV_TASK:
		ev->task.parent = (uint32_t)cur_varint(&c);
		ev->task.flags = cur_varint(&c);
		ev->task.domain = (uint32_t)cur_varint(&c);
		break;
	case EV_BUF:
		ev->buf.nrec = (uint32_t)cur_varint(&c);
		ev->buf.recs = get_bytes(&c);
		if (ev->buf.recs.len % 8 || ev->buf.recs.len > SB_RECS_CAP)
			rc = -1;
		break;
	default:
		rc = -1;
	}
	if (rc < 0 || c.bad || c.p != c.end) {
		int type = ev->type;
		ev_clear(ev);
		err_set("malformed %s event (corrupt trace)", ev_type_name(type));
		return -1;
	}
	return 0;
}

void ev_clear(struct event *ev)
{
	if (ev->type == EV_PREEMPT)
		free(ev->pre.st.pages);
	else if (ev->type == EV_SIGNAL && ev->sig.kind == SIGK_AT_SIGNATURE)
		free(ev->sig.st.pages);
	if (ev->type == EV_SYSCALL) {
		free(ev->sys.regions);
	} else if (ev->type == EV_EXEC) {
		free(ev->exec.argv);
		free(ev->exec.envp);
		free(ev->exec.maps);
	}
	memset(ev, 0, sizeof(*ev));
}

const char *ev_type_name(int type)
{
	static const char *names[EV_TYPE_MAX] = {
		[EV_EXEC] = "exec", [EV_SYSCALL] = "syscall", [EV_SIGNAL] = "signal",
		[EV_RDTSC] = "rdtsc", [EV_EXIT] = "exit", [EV_TASK] = "task",
		[EV_SWITCH] = "switch", [EV_PREEMPT] = "preempt", [EV_JOIN] = "join",
		[EV_RELEASE] = "release", [EV_BUF] = "buffered",
	};
	if (type > 0 && type < EV_TYPE_MAX && names[type])
		return names[type];
	return "unknown";
}
