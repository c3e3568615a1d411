/* lib_replay.c -- libscribe's replay sessions (scribe_replay_*): the public
 * face of replay/replay_ctl.h. */
#include "lib/lib_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "replay/replay_int.h"

struct scribe_replay {
	char *path;
	struct replayer *rp;
	struct rp_stop stop;      /* the last one, its strings handed out */
	char err[LIB_ERRLEN];
	struct lib_pool fds_pool; /* scribe_replay_fds's strings (lib_fds.c) */
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
	r->rp = rp_ctl_open(path, fn, ctx, r->err, sizeof(r->err));
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
	if (r->rp)
		rp_ctl_close(r->rp);
	lib_pool_clear(&r->fds_pool);
	free(r->fds_pool.v);
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

static int to_cond(scribe_replay *r, const struct scribe_until *u, struct rp_cond *k)
{
	memset(k, 0, sizeof(*k));
	k->nr = -1;
	if (!u || !u->what)
		return SCRIBE_OK;
	if (u->size < sizeof(struct scribe_until))
		return lib_fail(r->err, SCRIBE_E_ARG, "struct scribe_until: size not set");
	k->set = true;
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

int scribe_replay_wait(scribe_replay *r, int timeout_ms, struct scribe_stop *stop)
{
	if (!r || !r->rp)
		return SCRIBE_E_ARG;
	if (!rp_ctl_wait(r->rp, timeout_ms, &r->stop))
		return SCRIBE_E_AGAIN;
	if (stop) {
		struct scribe_stop s = { .size = sizeof(s) };
		s.reason = r->stop.reason;
		s.stream = r->stop.stream;
		s.stream_index = r->stop.index;
		s.tid = r->stop.tid;
		s.kind = r->stop.kind;
		s.nr = r->stop.nr;
		s.status = r->stop.status;
		s.expected = r->stop.expected;
		s.message = r->stop.msg;
		memcpy(stop, &s, MIN((size_t)stop->size, sizeof(s)));
		stop->size = (uint32_t)MIN((size_t)stop->size, sizeof(s));
	}
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

int scribe_replay_go_live(scribe_replay *r, uint32_t flags, int32_t *pid)
{
	if (!r || !r->rp || !pid || (flags & ~(uint32_t)SCRIBE_LIVE_FORCE))
		return SCRIBE_E_ARG;
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
