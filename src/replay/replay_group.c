/* replay_group.c -- memory shared across domains on replay.
 *
 * A MAP_SHARED mapping of a file, shm object or memfd was shared with every
 * other mapping of the same object when recording.  Replay maps, instead of
 * the trace's copy, a scratch copy made once per object (obj-N in the
 * replay's scratch directory, scratch.h, outside the trace), so the
 * mappings share memory as they did.
 *
 * Domains that mapped one such object joined a group (EV_JOIN); their
 * streams then number every switch and release of the group.  A domain
 * may let a task take its turn N only once turn N-1 was released, in
 * whichever domain and tracer thread that happened. */
#include "replay/replay_int.h"

#include "core/scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *rp_shared_object(struct replayer *r, uint32_t obj, uint64_t hash)
{
	pthread_mutex_lock(&r->out_mu);
	if (obj >= r->nobjs) {
		r->objmade = xrealloc(r->objmade, (obj + 1) * sizeof(*r->objmade));
		memset(r->objmade + r->nobjs, 0, (obj + 1 - r->nobjs) * sizeof(*r->objmade));
		r->nobjs = obj + 1;
	}
	char *path = xasprintf("%s/obj-%u", r->scratch, obj);
	if (!r->objmade[obj]) {
		if (files_verify(r->files, hash) < 0)
			fatal("%s", err_get());
		char *src = files_object(r->files, hash);
		size_t len;
		char *data = read_file(src, &len);
		int fd = data ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
		if (fd < 0 || write_all(fd, data, len) < 0)
			fatal("cannot make the scratch copy %s of a shared object: %s", path,
			      strerror(errno));
		close(fd);
		free(data);
		free(src);
		r->objmade[obj] = true;
	}
	pthread_mutex_unlock(&r->out_mu);
	return path;
}

/* Change the copy of object obj, if it was made: resize it to size, or
 * write len bytes at off. */
static void change_copy(struct replayer *r, uint32_t obj, bool resize, uint64_t size,
                        uint64_t off, const void *p, size_t len)
{
	pthread_mutex_lock(&r->out_mu);
	if (obj < r->nobjs && r->objmade[obj]) {
		char *path = xasprintf("%s/obj-%u", r->scratch, obj);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || (resize ? ftruncate(fd, (off_t)size) :
		               pwrite(fd, p, len, (off_t)off) != (ssize_t)len))
			fatal("cannot change the scratch copy %s of a shared object: %s", path,
			      strerror(errno));
		close(fd);
		free(path);
	}
	pthread_mutex_unlock(&r->out_mu);
}

void rp_shared_resize(struct replayer *r, uint32_t obj, uint64_t size)
{
	change_copy(r, obj, true, size, 0, NULL, 0);
}

void rp_shared_write(struct replayer *r, uint32_t obj, uint64_t off, const void *p, size_t len)
{
	change_copy(r, obj, false, 0, off, p, len);
}

/* Also fatal()'s cleanup, which may run with out_mu held (a shared
 * object that could not be copied): no lock, an exchange. */
void rp_remove_scratch(struct replayer *r)
{
	char *dir = __atomic_exchange_n(&r->scratch, NULL, __ATOMIC_ACQ_REL);
	scratch_remove(dir, r->scratch_fd);
	free(dir);
}

void rp_group_join(struct replayer *r, struct domain *d, uint32_t group)
{
	pthread_mutex_lock(&r->out_mu);
	if (group >= r->ngroups) {
		r->released = xrealloc(r->released, (group + 1) * sizeof(*r->released));
		memset(r->released + r->ngroups, 0, (group + 1 - r->ngroups) * sizeof(*r->released));
		r->ngroups = group + 1;
	}
	pthread_mutex_unlock(&r->out_mu);
	d->grouped = true;
	d->group = group;
}

bool rp_group_turn(struct replayer *r, struct domain *d, uint64_t seq)
{
	pthread_mutex_lock(&r->out_mu);
	bool ok = d->grouped && d->group < r->ngroups && r->released[d->group] + 1 == seq;
	pthread_mutex_unlock(&r->out_mu);
	return ok;
}

void rp_group_release(struct replayer *r, struct domain *d, uint64_t seq)
{
	pthread_mutex_lock(&r->out_mu);
	if (d->grouped && d->group < r->ngroups)
		r->released[d->group] = seq;
	pthread_mutex_unlock(&r->out_mu);
	/* Someone, in this thread or another, may be waiting for the next turn. */
	for (int i = 0; i < r->ws.n; i++)
		worker_wake(&r->ws.w[i]);
}

void rp_poll_groups(struct replayer *r)
{
	for (struct domain *d = self->t.doms; d; d = d->next)
		if (d->grouped)
			rp_advance(r, d);
}
