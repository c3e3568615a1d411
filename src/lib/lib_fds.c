/* lib_fds.c -- scribe_replay_fds: the recorded fd tables at a stop, from
 * the replayer's model (syscalls/fdtab.h) into public structs. */
#include "lib/lib_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "replay/replay_int.h"

static const char *keep(struct lib_pool *pl, const char *s)
{
	return lib_pool_add(pl, xstrdup(s ? s : ""), false);
}

static void fill(struct lib_pool *pl, const struct fdt_fd *f, struct scribe_fd *o)
{
	const struct fdt_desc *d = f->desc;
	char text[512], a[160];
	*o = (struct scribe_fd){ .size = sizeof(*o), .fd = f->fd, .type = (int32_t)d->type,
	                         .fd_flags = f->fdflags, .flags = d->flags,
	                         .offset_known = d->offset_known, .offset = d->offset,
	                         .at_end = d->at_end, .deleted = d->deleted, .desc = d->id,
	                         .pipe_id = d->pipe_id, .end = d->end,
	                         .peer_desc = d->peer_desc, .family = d->family,
	                         .socktype = d->socktype, .protocol = d->protocol,
	                         .listening = d->listening, .backlog = d->backlog,
	                         .connected = d->connected, .count_known = d->count_known,
	                         .count = d->count, .clockid = d->clockid,
	                         .timer_flags = d->tfd_settime_flags, .sigmask = d->sigmask,
	                         .pidfd_pid = d->pid };
	o->value_ns = (int64_t)d->it_value.tv_sec * 1000000000 + d->it_value.tv_nsec;
	o->interval_ns = (int64_t)d->it_interval.tv_sec * 1000000000 + d->it_interval.tv_nsec;
	if (d->type == FDT_SOCKET && d->local_len) {
		fdtab_addr_text(&d->local, d->local_len, a, sizeof(a));
		o->path = keep(pl, a);
	} else {
		o->path = keep(pl, d->path);
	}
	fdtab_addr_text(&d->peer, d->peer_len, a, sizeof(a));
	o->peer = keep(pl, a);
	fdtab_describe(d, text, sizeof(text));
	o->text = keep(pl, text);
	if (d->nregs) {
		struct scribe_fd_epoll *e = xcalloc(d->nregs, sizeof(*e));
		for (size_t i = 0; i < d->nregs; i++)
			e[i] = (struct scribe_fd_epoll){ d->regs[i].fd, d->regs[i].events,
			                                 d->regs[i].data, d->regs[i].desc };
		o->epoll = lib_pool_add(pl, e, false);
		o->nepoll = (uint32_t)d->nregs;
	}
	if (d->nopts) {
		struct scribe_fd_sockopt *so = xcalloc(d->nopts, sizeof(*so));
		for (size_t i = 0; i < d->nopts; i++) {
			so[i] = (struct scribe_fd_sockopt){ d->opts[i].level, d->opts[i].name,
			                                    d->opts[i].len, { 0 } };
			memcpy(so[i].value, d->opts[i].value, sizeof(so[i].value));
		}
		o->sockopts = lib_pool_add(pl, so, false);
		o->nsockopts = (uint32_t)d->nopts;
	}
	if (d->nwatches) {
		struct scribe_fd_watch *w = xcalloc(d->nwatches, sizeof(*w));
		for (size_t i = 0; i < d->nwatches; i++)
			w[i] = (struct scribe_fd_watch){ d->watches[i].wd, d->watches[i].mask,
			                                 keep(pl, d->watches[i].path) };
		o->watches = lib_pool_add(pl, w, false);
		o->nwatches = (uint32_t)d->nwatches;
	}
}

int scribe_replay_fds(scribe_replay *r, int32_t pid, struct scribe_fd *buf, size_t n)
{
	struct replayer *rp = r ? lib_replay_rp(r) : NULL;
	if (!rp || (n && !buf))
		return SCRIBE_E_ARG;
	char *err = lib_replay_err(r);
	if (rp->fds_stale)
		return lib_fail(err, SCRIBE_E_STATE, "the recorded fd tables are not kept in "
		                "checkpoints yet: after a restore, open a new replay to read them");
	struct rp_task_info info[256];
	size_t nt = MIN(rp_ctl_tasks(rp, info, 256), (size_t)256);
	if (!nt)
		return lib_fail(err, SCRIBE_E_STATE, "the replay is not stopped");
	/* the process's table: its leader's, or any live thread's */
	int32_t tid = 0;
	for (size_t i = 0; i < nt; i++)
		if (info[i].rec_pid == pid && info[i].state != 3 &&
		    (!tid || info[i].rec_tid == pid))
			tid = info[i].rec_tid;
	if (!tid)
		return lib_fail(err, SCRIBE_E_NOTASK, "no live process %d", pid);
	struct lib_pool *pl = lib_replay_fds_pool(r);
	lib_pool_clear(pl);
	pthread_mutex_lock(&rp->fds.mu);
	const struct fdt_table *tb = fdtab_get(&rp->fds, tid);
	size_t all = tb ? tb->n : 0;
	for (size_t i = 0; i < n && i < all; i++)
		fill(pl, &tb->fds[i], &buf[i]);
	pthread_mutex_unlock(&rp->fds.mu);
	return (int)all;
}
