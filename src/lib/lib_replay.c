/* lib_replay.c -- libscribe's replay sessions (scribe_replay_*): the public
 * face of replay/replay_ctl.h. */
#include "lib/lib_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "replay/replay_ckpt.h"
#include "replay/replay_int.h"

struct scribe_checkpoint {
	scribe_replay *r;
	struct rp_ckpt *ck;
	struct scribe_checkpoint *next;   /* the session's list */
};

struct scribe_replay {
	char *path;
	struct replayer *rp;
	scribe_checkpoint *cks;   /* its live checkpoints */
	struct rp_stop stop;      /* the last one, its strings handed out */
	int32_t step;             /* scribe_replay_step: for the next resume */
	char err[LIB_ERRLEN];
	struct lib_pool fds_pool; /* scribe_replay_fds's strings (lib_fds.c) */
	struct trc_bookmark *bms; /* the trace's, read at the first run to one */
	size_t nbms;
	bool bms_read;
};

struct replayer *lib_replay_rp(scribe_replay *r) { return r->rp; }
char *lib_replay_err(scribe_replay *r) { return r->err; }
struct lib_pool *lib_replay_fds_pool(scribe_replay *r) { return &r->fds_pool; }

int scribe_replay_open(const char *path, const struct scribe_replay_opts *opts,
                       scribe_replay **out)
{
	if (!out)
		return SCRIBE_E_ARG;
	scribe_replay *r = calloc(1, sizeof(*r));
	*out = r;
	if (!r)
		return SCRIBE_E_NOMEM;
	if (!path)
		return lib_fail(r->err, SCRIBE_E_ARG, "no trace given");
	r->path = strdup(path);
	void (*fn)(void *, int, const void *, size_t) = NULL;
	void *ctx = NULL;
	if (opts && opts->size >= offsetof(struct scribe_replay_opts, output_ctx) + sizeof(void *)) {
		fn = opts->output;
		ctx = opts->output_ctx;
	}
	bool live = opts && opts->size >= offsetof(struct scribe_replay_opts, flags) +
	                                    sizeof(opts->flags) &&
	            (opts->flags & SCRIBE_REPLAY_LIVE);
	r->rp = rp_ctl_open(path, fn, ctx, live, r->err, sizeof(r->err));
	if (!r->rp)
		return SCRIBE_E_NOMEM;
	rp_ctl_wait(r->rp, -1, &r->stop);
	if (r->stop.reason == RPS_ERROR || r->stop.reason == RPS_DIVERGED)
		return lib_fail(r->err, SCRIBE_E_CORRUPT, "%s", r->stop.msg);
	return SCRIBE_OK;
}

void scribe_replay_close(scribe_replay *r)
{
	if (!r)
		return;
	while (r->cks)
		scribe_checkpoint_free(r->cks);
	if (r->rp)
		rp_ctl_close(r->rp);
	lib_pool_clear(&r->fds_pool);
	free(r->fds_pool.v);
	trc_bookmarks_free(r->bms, r->nbms);
	free(r->path);
	free(r);
}

const char *scribe_replay_error(const scribe_replay *r) { return r ? r->err : "no session"; }

/* The (stream, stream_index) of global index `index`, by a walk of the
 * trace in scribe_trace_next's order (a buffered call: its batch). */
static int resolve_index(scribe_replay *r, uint64_t index, uint32_t *stream, uint64_t *sidx)
{
	scribe_trace *tr;
	int rc = scribe_trace_open(r->path, NULL, &tr);
	struct scribe_event ev[64];
	int n = 0;
	while (rc == SCRIBE_OK && (n = scribe_trace_next(tr, ev, 64)) > 0) {
		for (int i = 0; i < n; i++)
			if (ev[i].index == index) {
				*stream = ev[i].stream;
				*sidx = ev[i].stream_index;
				scribe_trace_close(tr);
				return SCRIBE_OK;
			}
	}
	if (rc != SCRIBE_OK || n < 0)
		rc = lib_fail(r->err, rc != SCRIBE_OK ? rc : n, "%s", scribe_trace_error(tr));
	else
		rc = lib_fail(r->err, SCRIBE_E_ARG, "the trace has no event %llu",
		              (unsigned long long)index);
	scribe_trace_close(tr);
	return rc;
}

/* SCRIBE_UNTIL_BOOKMARK: the positions of bookmark `name`. */
static int bookmark_cond(scribe_replay *r, const char *name, struct rp_cond *k)
{
	if (!name)
		return lib_fail(r->err, SCRIBE_E_ARG, "SCRIBE_UNTIL_BOOKMARK without a name");
	if (!r->bms_read) {
		if (trc_bookmarks_read(r->path, &r->bms, &r->nbms) < 0)
			return lib_fail_last(r->err, SCRIBE_E_CORRUPT);
		r->bms_read = true;
	}
	for (size_t i = 0; i < r->nbms; i++) {
		const struct trc_bookmark *b = &r->bms[i];
		if (strcmp(b->name, name))
			continue;
		k->bm = true;
		k->bm_n = b->npos;
		k->bm_streams = b->streams;
		k->bm_index = b->index;
		k->bm_tid = b->tid;
		k->bm_origin = b->stream;
		return SCRIBE_OK;
	}
	return lib_fail(r->err, SCRIBE_E_ARG, "the trace has no bookmark named '%s'", name);
}

static int to_cond(scribe_replay *r, const struct scribe_until *u, struct rp_cond *k)
{
	memset(k, 0, sizeof(*k));
	k->nr = -1;
	if (!u || !u->what)
		return SCRIBE_OK;
	/* a caller built against API 2 passes the struct without `bookmark` */
	if (u->size < offsetof(struct scribe_until, bookmark))
		return lib_fail(r->err, SCRIBE_E_ARG, "struct scribe_until: size not set");
	k->set = true;
	if (u->what & SCRIBE_UNTIL_BOOKMARK) {
		if (u->size < offsetof(struct scribe_until, bookmark) + sizeof(u->bookmark))
			return lib_fail(r->err, SCRIBE_E_ARG, "struct scribe_until: too old "
			                "for SCRIBE_UNTIL_BOOKMARK (API 3)");
		if (u->what != SCRIBE_UNTIL_BOOKMARK)
			return lib_fail(r->err, SCRIBE_E_ARG,
			                "SCRIBE_UNTIL_BOOKMARK goes with no other condition");
		return bookmark_cond(r, u->bookmark, k);
	}
	if ((u->what & SCRIBE_UNTIL_NEXT) && r->stop.reason == RPS_MATCH) {
		k->skip = true;
		k->skip_stream = r->stop.stream;
		k->skip_index = r->stop.index;
	}
	if (u->what & SCRIBE_UNTIL_KINDS)
		k->kinds = u->kinds;
	if (u->what & SCRIBE_UNTIL_TID)
		k->tid = u->tid;
	if (u->what & SCRIBE_UNTIL_NR)
		k->nr = u->nr;
	if (u->what & SCRIBE_UNTIL_EVENT) {
		k->at = true;
		k->stream = u->stream;
		k->index = u->stream_index;
	}
	if (u->what & SCRIBE_UNTIL_INDEX) {
		k->at = true;
		return resolve_index(r, u->index, &k->stream, &k->index);
	}
	return SCRIBE_OK;
}

int scribe_replay_resume(scribe_replay *r, const struct scribe_until *until)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	if (r->stop.reason == RPS_ENDED || r->stop.reason == RPS_DIVERGED ||
	    r->stop.reason == RPS_ERROR)
		return lib_fail(r->err, SCRIBE_E_STATE, "the replay is over");
	struct rp_cond k;
	int rc = to_cond(r, until, &k);
	if (rc != SCRIBE_OK)
		return rc;
	r->stop.reason = RPS_NONE;
	rp_ctl_step(r->rp, r->step);
	r->step = 0;
	rp_ctl_resume(r->rp, &k);
	return SCRIBE_OK;
}

static int stop_code(scribe_replay *r)
{
	switch (r->stop.reason) {
	case RPS_DIVERGED:
		return lib_fail(r->err, SCRIBE_E_DIVERGED, "%s", r->stop.msg);
	case RPS_ERROR:
		return lib_fail(r->err, SCRIBE_E_CORRUPT, "%s", r->stop.msg);
	default:
		return SCRIBE_OK;
	}
}

static void fill_stop(const struct rp_stop *from, struct scribe_stop *stop)
{
	struct scribe_stop s = { .size = sizeof(s) };
	s.reason = from->reason;
	s.stream = from->stream;
	s.stream_index = from->index;
	s.tid = from->tid;
	s.kind = from->kind;
	s.nr = from->nr;
	s.status = from->status;
	s.expected = from->expected;
	s.message = from->msg;
	s.addr = from->addr;
	s.task_events = from->tevents;
	memcpy(stop, &s, MIN((size_t)stop->size, sizeof(s)));
	stop->size = (uint32_t)MIN((size_t)stop->size, sizeof(s));
}

int scribe_replay_wait(scribe_replay *r, int timeout_ms, struct scribe_stop *stop)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	if (!rp_ctl_wait(r->rp, timeout_ms, &r->stop))
		return SCRIBE_E_AGAIN;
	if (stop)
		fill_stop(&r->stop, stop);
	return stop_code(r);
}

int scribe_replay_run(scribe_replay *r, const struct scribe_until *until, struct scribe_stop *stop)
{
	int rc = scribe_replay_resume(r, until);
	if (rc != SCRIBE_OK)
		return rc;
	return scribe_replay_wait(r, -1, stop);
}

int scribe_replay_pause(scribe_replay *r)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	rp_ctl_pause(r->rp);
	return SCRIBE_OK;
}

/* A request's -errno as a return code, with a message. */
static long req_code(scribe_replay *r, long ret, int32_t tid)
{
	if (ret >= 0)
		return ret;
	if (ret == -EBUSY)
		return lib_fail(r->err, SCRIBE_E_STATE, "the replay is not stopped");
	if (ret == -ESRCH)
		return lib_fail(r->err, SCRIBE_E_NOTASK, "no live task %d", tid);
	return lib_fail(r->err, SCRIBE_E_IO, "task %d: %s", tid, strerror((int)-ret));
}

int scribe_replay_tasks(scribe_replay *r, struct scribe_task *buf, size_t n)
{
	if (!r || !r->rp || (n && !buf))
		return SCRIBE_E_ARG;
	struct rp_task_info info[256];
	size_t all = rp_ctl_tasks(r->rp, info, 256);
	for (size_t i = 0; i < n && i < all && i < 256; i++) {
		struct scribe_task t = { .size = sizeof(t), .tid = info[i].rec_tid,
		                         .pid = info[i].rec_pid, .real_tid = info[i].tid,
		                         .real_pid = info[i].pid, .stream = info[i].stream,
		                         .state = info[i].state, .holder = info[i].holder };
		buf[i] = t;
	}
	return (int)all;
}

int scribe_replay_regs(scribe_replay *r, int32_t tid, struct scribe_regs *regs)
{
	if (!r || !r->rp || !regs)
		return SCRIBE_E_ARG;
	_Static_assert(sizeof(struct scribe_regs) == sizeof(struct user_regs_struct),
	               "struct scribe_regs is the kernel's user_regs_struct");
	struct user_regs_struct u;
	long rc = req_code(r, rp_ctl_request(r->rp, RQ_REGS, tid, 0, &u, sizeof(u)), tid);
	if (rc < 0)
		return (int)rc;
	memcpy(regs, &u, sizeof(u));
	return SCRIBE_OK;
}

long scribe_replay_xsave(scribe_replay *r, int32_t tid, void *buf, size_t cap)
{
	if (!r || !r->rp || !buf)
		return SCRIBE_E_ARG;
	return req_code(r, rp_ctl_request(r->rp, RQ_XSAVE, tid, 0, buf, cap), tid);
}

long scribe_replay_read(scribe_replay *r, int32_t tid, uint64_t addr, void *buf, size_t n)
{
	if (!r || !r->rp || (n && !buf))
		return SCRIBE_E_ARG;
	return req_code(r, rp_ctl_request(r->rp, RQ_READ, tid, addr, buf, n), tid);
}

long scribe_replay_maps(scribe_replay *r, int32_t pid, char *buf, size_t cap)
{
	if (!r || !r->rp || (cap && !buf))
		return SCRIBE_E_ARG;
	struct rp_task_info info[256];
	size_t n = MIN(rp_ctl_tasks(r->rp, info, 256), (size_t)256);
	pid_t real = 0;
	for (size_t i = 0; i < n && !real; i++)
		if (info[i].rec_pid == pid && info[i].state != 3)
			real = info[i].pid;
	if (!real)
		return req_code(r, n ? -ESRCH : -EBUSY, pid);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", real);
	FILE *f = fopen(path, "r");
	if (!f)
		return req_code(r, -errno, pid);
	long len = 0;
	int ch;
	while ((ch = fgetc(f)) != EOF) {
		if (cap && (size_t)len < cap - 1)
			buf[len] = (char)ch;
		len++;
	}
	fclose(f);
	if (cap)
		buf[MIN((size_t)len, cap - 1)] = 0;
	return len;
}

/* ---- debugging (API 3): replay_debug.c ---- */

int scribe_replay_break(scribe_replay *r, int kind, uint64_t addr, uint32_t len, int32_t pid)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	int rc = rp_ctl_break(r->rp, true, kind, addr, len, pid);
	if (rc == -ENOSPC)
		return lib_fail(r->err, SCRIBE_E_ARG, "no debug register is free (%d breakpoints "
		                "and watchpoints at most)", HWBP_USER_SLOTS);
	if (rc == -EINVAL)
		return lib_fail(r->err, SCRIBE_E_ARG, "a watchpoint is of 1, 2, 4 or 8 bytes at an "
		                "address aligned to its size (a breakpoint: 1)");
	if (rc == -EFAULT)
		return lib_fail(r->err, SCRIBE_E_ARG, "cannot read %u bytes at %#llx in process %d",
		                len, (unsigned long long)addr, pid);
	return SCRIBE_OK;
}

int scribe_replay_unbreak(scribe_replay *r, int kind, uint64_t addr, uint32_t len)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	if (rp_ctl_break(r->rp, false, kind, addr, len, r->rp->ctl->dbg.pid) < 0)
		return lib_fail(r->err, SCRIBE_E_ARG, "no such breakpoint at %#llx",
		                (unsigned long long)addr);
	return SCRIBE_OK;
}

int scribe_replay_step(scribe_replay *r, int32_t tid)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	r->step = tid;
	return SCRIBE_OK;
}
/* ---- checkpoints (API 3) ---- */

int scribe_replay_checkpoint(scribe_replay *r, scribe_checkpoint **out)
{
	if (!r || !r->rp || !out)
		return SCRIBE_E_ARG;
	*out = NULL;
	if (r->rp->opts->sysemu)
		return lib_fail(r->err, SCRIBE_E_STATE, "cannot take a checkpoint of a replay "
		                "opened with SCRIBE_REPLAY_LIVE (it may go live, not go back)");
	scribe_checkpoint *h = calloc(1, sizeof(*h));
	if (!h)
		return SCRIBE_E_NOMEM;
	bool busy;
	char msg[512];
	h->ck = rp_ckpt_take(r->rp, &busy, msg, sizeof(msg));
	if (!h->ck) {
		free(h);
		return lib_fail(r->err, SCRIBE_E_STATE, "cannot take a checkpoint: %s", msg);
	}
	h->r = r;
	h->next = r->cks;
	r->cks = h;
	*out = h;
	return SCRIBE_OK;
}

int scribe_replay_restore(scribe_replay *r, const scribe_checkpoint *ck)
{
	if (!r || !r->rp || !ck)
		return SCRIBE_E_ARG;
	if (ck->r != r)
		return lib_fail(r->err, SCRIBE_E_ARG, "the checkpoint belongs to another session");
	bool busy;
	char msg[512];
	if (rp_ckpt_restore(r->rp, ck->ck, &busy, msg, sizeof(msg)) < 0)
		return lib_fail(r->err, busy ? SCRIBE_E_STATE : SCRIBE_E_IO,
		                "cannot restore the checkpoint: %s", msg);
	r->stop = *rp_ckpt_stop(ck->ck);
	return SCRIBE_OK;
}

int scribe_checkpoint_stop(const scribe_checkpoint *ck, struct scribe_stop *stop)
{
	if (!ck || !stop)
		return SCRIBE_E_ARG;
	fill_stop(rp_ckpt_stop(ck->ck), stop);
	return SCRIBE_OK;
}

void scribe_checkpoint_free(scribe_checkpoint *ck)
{
	if (!ck)
		return;
	scribe_replay *r = ck->r;
	for (scribe_checkpoint **pp = &r->cks; *pp; pp = &(*pp)->next)
		if (*pp == ck) {
			*pp = ck->next;
			break;
		}
	rp_ckpt_free(r->rp, ck->ck);
	free(ck);
}
int scribe_replay_go_live(scribe_replay *r, uint32_t flags, int32_t *pid)
{
	if (!r || !r->rp || !pid || (flags & ~(uint32_t)SCRIBE_LIVE_FORCE))
		return SCRIBE_E_ARG;
	if (!r->rp->opts->sysemu)
		return lib_fail(r->err, SCRIBE_E_STATE, "this replay cannot go live: open it with "
		                "SCRIBE_REPLAY_LIVE (Python: trace.replay(live=True))");
	pid_t p = 0;
	char msg[sizeof(r->err)];
	msg[0] = 0;
	int rc = rp_ctl_golive(r->rp, flags & SCRIBE_LIVE_FORCE, &p, msg, sizeof(msg));
	if (rc < 0)
		return lib_fail(r->err, rc == -EIO ? SCRIBE_E_IO : SCRIBE_E_STATE, "%s", msg);
	snprintf(r->err, sizeof(r->err), "%s", msg);   /* forced: what stays closed */
	*pid = (int32_t)p;
	return SCRIBE_OK;
}
