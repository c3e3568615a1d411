/* lib_event.c -- libscribe: a decoded event as a public scribe_event, a
 * buffered batch as one event per call, and the memory they point to. */
#include "lib/lib_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/sig.h"
#include "core/util.h"
#include "syscalls/decode.h"
#include "syscalls/table.h"

_Static_assert((int)EV_TYPE_MAX <= (int)SCRIBE_EV_STREAM, "a stream marker is no event kind");

void *lib_pool_add(struct lib_pool *pl, void *p, bool event)
{
	pl->v = xgrow(pl->v, pl->n, &pl->cap, sizeof(*pl->v), 64);
	pl->v[pl->n++] = (struct lib_block){ p, event };
	return p;
}

void lib_pool_clear(struct lib_pool *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		if (pl->v[i].event)
			ev_clear(pl->v[i].p);
		free(pl->v[i].p);
	}
	pl->n = 0;
}

int32_t lib_pid_of(const struct lib_pids *m, uint32_t tid)
{
	for (size_t i = m->n; i-- > 0;)    /* the latest: tids are reused */
		if (m->tid[i] == tid)
			return (int32_t)m->pid[i];
	return (int32_t)tid;               /* a process's first task */
}

/* A task made with CLONE_THREAD is in its creator's thread group; any
 * other new task leads its own. */
void lib_pid_learn(struct lib_pids *m, const struct event *ev)
{
	if (ev->type != EV_TASK || !(ev->task.flags & 0x00010000 /* CLONE_THREAD */))
		return;
	size_t cap = m->cap;
	m->tid = xgrow(m->tid, m->n, &cap, sizeof(*m->tid), 16);
	m->pid = xgrow(m->pid, m->n, &m->cap, sizeof(*m->pid), 16);
	m->tid[m->n] = ev->tid;
	m->pid[m->n++] = (uint32_t)lib_pid_of(m, ev->task.parent);
}

static const char *pool_str(scribe_trace *tr, const uint8_t *p, size_t n)
{
	char *s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = 0;
	return lib_pool_add(&tr->pool, s, false);
}

/* The text the memory stream holds, copied into the pool. */
static const char *text_take(scribe_trace *tr)
{
	fflush(tr->text);      /* the position, not textlen: the stream is reused */
	long n = ftell(tr->text);
	const char *s = pool_str(tr, (const uint8_t *)tr->textbuf, n > 0 ? (size_t)n : 0);
	rewind(tr->text);
	return s;
}

const char *lib_text_event(scribe_trace *tr, const struct event *ev)
{
	if (!tr->text)
		return NULL;
	ev_print(tr->text, ev);
	return text_take(tr);
}

static void fill_syscall(scribe_trace *tr, const struct ev_syscall *s, struct scribe_event *o)
{
	o->nr = s->nr;
	o->name = sys_name(s->nr);
	o->nargs = s->nargs;
	memcpy(o->args, s->args, sizeof(o->args));
	o->result = s->ret;
	o->flags |= (s->flags & SYSF_RESULT ? SCRIBE_EVF_RESULT : 0) |
	            (s->flags & SYSF_EMIT_OUT ? SCRIBE_EVF_STDOUT : 0) |
	            (s->flags & SYSF_EMIT_ERR ? SCRIBE_EVF_STDERR : 0);
	if (s->nstrings)
		o->path = pool_str(tr, s->strings[0].p, s->strings[0].len);
	if (s->nregions) {
		struct scribe_region *r = xcalloc(s->nregions, sizeof(*r));
		for (uint32_t i = 0; i < s->nregions; i++)
			r[i] = (struct scribe_region){ s->regions[i].addr, s->regions[i].data.p,
			                               s->regions[i].data.len };
		o->regions = lib_pool_add(&tr->pool, r, false);
		o->nregions = s->nregions;
	}
	if (s->flags & SYSF_INDATA) {
		o->flags |= SCRIBE_EVF_DATA_IN | (s->inlen > s->inprefix.len ? SCRIBE_EVF_PARTIAL : 0);
		o->data = s->inprefix.p;
		o->data_len = s->inprefix.len;
		o->data_total = s->inlen;
	} else if (s->nregions) {
		o->flags |= SCRIBE_EVF_DATA_OUT;
		o->data = o->regions[0].data;
		o->data_len = o->data_total = o->regions[0].len;
		o->data_addr = o->regions[0].addr;
	}
}

static void fill_exec(scribe_trace *tr, const struct ev_exec *x, struct scribe_event *o)
{
	o->path = pool_str(tr, x->path.p, x->path.len);
	const char **argv = xcalloc((size_t)x->argc + 1, sizeof(*argv));
	for (uint32_t i = 0; i < x->argc; i++)
		argv[i] = pool_str(tr, x->argv[i].p, x->argv[i].len);
	o->argv = lib_pool_add(&tr->pool, argv, false);
	o->argc = x->argc;
}

void lib_event_fill(scribe_trace *tr, const struct event *ev, struct scribe_event *o)
{
	o->kind = ev->type;
	o->tid = (int32_t)ev->tid;
	o->pid = lib_pid_of(&tr->pids, ev->tid);
	o->nr = -1;
	o->name = ev_type_name(ev->type);
	switch (ev->type) {
	case EV_SYSCALL:
		fill_syscall(tr, &ev->sys, o);
		break;
	case EV_SIGNAL:
		o->nr = ev->sig.signo;
		o->name = sig_name(ev->sig.signo);
		o->args[0] = ev->sig.kind;
		o->args[1] = ev->sig.ip;
		o->nargs = 2;
		break;
	case EV_EXEC:
		fill_exec(tr, &ev->exec, o);
		break;
	case EV_EXIT:
		o->result = ev->exit.status;
		break;
	case EV_TASK:
		o->result = ev->task.parent;
		o->args[0] = ev->task.flags;
		o->args[1] = ev->task.domain;
		o->nargs = 2;
		break;
	case EV_RDTSC:
		o->result = (int64_t)ev->tsc.tsc;
		break;
	case EV_SWITCH:
	case EV_RELEASE:
	case EV_JOIN:
		o->result = (int64_t)ev->sched.seq;
		o->args[0] = ev->sched.group;
		o->nargs = 1;
		break;
	case EV_BUF:
		o->result = ev->buf.nrec;
		break;
	}
	o->text = lib_text_event(tr, ev);
}

/* Records that are not calls the program made (sbuf.h SB_REC_*): facts
 * the library learned, which keep their place (sub) but are not events. */
bool lib_rec_is_call(uint32_t nr)
{
	return (nr & (SB_REC_FILE | SB_REC_MAP)) || nr < SB_REC_FDKIND;
}

static void fill_record(scribe_trace *tr, const struct sb_rec *rec, const uint8_t *payload,
                        size_t plen, struct scribe_event *o)
{
	uint32_t nr = rec->nr & ~(SB_REC_FILE | SB_REC_MAP);
	o->kind = SCRIBE_EV_SYSCALL;
	o->flags = SCRIBE_EVF_BUFFERED | SCRIBE_EVF_RESULT;
	o->nr = (int32_t)nr;
	o->name = sys_name(nr);
	o->result = rec->ret;
	o->args[0] = rec->arg0;
	o->nargs = 1;
	if (rec->nr & SB_REC_MAP) {
		memcpy(o->args, payload, MIN(plen, sizeof(o->args)));
		o->nargs = 6;
	} else if (!(rec->nr & SB_REC_FILE)) {
		struct sb_layout l;
		sys_rec_layout(rec, payload, plen, &l);
		if (l.nargs) {
			memcpy(o->args, payload, 8 * (size_t)l.nargs);
			o->nargs = (uint32_t)l.nargs;
		}
		if (l.has_path)
			o->path = pool_str(tr, payload, l.path_len);
		if (plen > l.data_off) {
			o->flags |= SCRIBE_EVF_DATA_OUT;
			o->data = payload + l.data_off;
			o->data_len = o->data_total = plen - l.data_off;
		}
	}
	if (tr->text) {
		sys_print_record(tr->text, rec, payload, plen);
		o->text = text_take(tr);
	}
}

int lib_batch_next(scribe_trace *tr, struct scribe_event *o)
{
	struct lib_batch *b = &tr->batch;
	const struct ev_bytes *recs = &b->ev.buf.recs;
	while (b->live && b->off + sizeof(struct sb_rec) <= recs->len) {
		struct sb_rec rec;
		if (!sb_rec_at(recs->p, recs->len, b->off, &rec))
			break;
		const uint8_t *payload = recs->p + b->off + sizeof(rec);
		b->off += sb_rec_stride(rec.size);
		b->sub++;
		if (!lib_rec_is_call(rec.nr))
			continue;
		*o = (struct scribe_event){ .size = sizeof(*o) };
		o->tid = (int32_t)b->ev.tid;
		o->pid = lib_pid_of(&tr->pids, b->ev.tid);
		o->sub = b->sub;
		o->stream_index = b->stream_index;
		fill_record(tr, &rec, payload, rec.size - sizeof(rec), o);
		return 1;
	}
	if (b->live) {
		/* the batch's calls were handed out: their bytes live as long
		 * as the events of this call */
		struct event *ev = xmalloc(sizeof(*ev));
		*ev = b->ev;
		lib_pool_add(&tr->pool, ev, true);
		lib_pool_add(&tr->pool, b->raw, false);
		*b = (struct lib_batch){ 0 };
	}
	return 0;
}
