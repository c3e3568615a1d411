/* fdtab.c -- the recorded fd tables: tasks, tables and descriptions
 * (fdtab.h).  What each syscall does to them is fdtab_call.c; text and
 * the recording's /proc reading are fdtab_text.c. */
#include "syscalls/fdtab.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "syscalls/fdtab_int.h"

void fdtab_init(struct fdtab *m, const char *cwd)
{
	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->mu, NULL);
	m->next_id = 1;
	m->next_pipe = 1;
	m->cwd = xstrdup(cwd && *cwd ? cwd : "/");
}

void fdt_desc_put(struct fdt_desc *d)
{
	if (!d || --d->refs > 0)
		return;
	free(d->path);
	free(d->regs);
	for (size_t i = 0; i < d->nwatches; i++)
		free(d->watches[i].path);
	free(d->watches);
	free(d);
}

static void table_put(struct fdt_table *tb)
{
	if (!tb || --tb->users > 0)
		return;
	for (size_t i = 0; i < tb->n; i++)
		fdt_desc_put(tb->fds[i].desc);
	free(tb->fds);
	free(tb);
}

void fdtab_destroy(struct fdtab *m)
{
	for (size_t i = 0; i < m->ntasks; i++) {
		table_put(m->tasks[i].tab);
		free(m->tasks[i].cwd);
	}
	free(m->tasks);
	free(m->cwd);
	pthread_mutex_destroy(&m->mu);
	memset(m, 0, sizeof(*m));
}

/* With no reference: installing it gives it its first. */
struct fdt_desc *fdt_desc_new(struct fdtab *m, enum fdt_type type)
{
	struct fdt_desc *d = xcalloc(1, sizeof(*d));
	d->id = m->next_id++;
	d->type = type;
	d->offset_known = true;
	d->backlog = -1;
	return d;
}

struct fdt_task *fdt_task_find(struct fdtab *m, int tid)
{
	for (size_t i = 0; i < m->ntasks; i++)
		if (m->tasks[i].tid == tid)
			return &m->tasks[i];
	return NULL;
}

/* The task's entry, made (with an empty table of its own) if new: a task
 * the model never saw created (a trace that starts later, a damaged
 * one) still gets what the trace says of it from now on. */
struct fdt_task *fdt_task_get(struct fdtab *m, int tid)
{
	struct fdt_task *t = fdt_task_find(m, tid);
	if (t)
		return t;
	m->tasks = xgrow(m->tasks, m->ntasks, &m->cap, sizeof(*m->tasks), 16);
	t = &m->tasks[m->ntasks++];
	t->tid = tid;
	t->tab = xcalloc(1, sizeof(*t->tab));
	t->tab->users = 1;
	t->cwd = xstrdup(m->cwd);
	return t;
}

static size_t fd_pos(const struct fdt_table *tb, int fd)
{
	size_t lo = 0, hi = tb->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tb->fds[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct fdt_fd *fdt_lookup(struct fdt_table *tb, int fd)
{
	size_t i = fd_pos(tb, fd);
	return i < tb->n && tb->fds[i].fd == fd ? &tb->fds[i] : NULL;
}

void fdt_close(struct fdt_table *tb, int fd)
{
	size_t i = fd_pos(tb, fd);
	if (i >= tb->n || tb->fds[i].fd != fd)
		return;
	fdt_desc_put(tb->fds[i].desc);
	memmove(&tb->fds[i], &tb->fds[i + 1], (tb->n - i - 1) * sizeof(tb->fds[0]));
	tb->n--;
}

void fdt_install(struct fdt_table *tb, int fd, struct fdt_desc *d, int fdflags)
{
	if (fd < 0 || !d)
		return;
	d->refs++;                 /* before a close that may drop d itself */
	fdt_close(tb, fd);
	size_t i = fd_pos(tb, fd);
	tb->fds = xgrow(tb->fds, tb->n, &tb->cap, sizeof(tb->fds[0]), 16);
	memmove(&tb->fds[i + 1], &tb->fds[i], (tb->n - i) * sizeof(tb->fds[0]));
	tb->fds[i] = (struct fdt_fd){ .fd = fd, .fdflags = fdflags, .desc = d };
	tb->n++;
}

void fdtab_task(struct fdtab *m, int parent, int child, uint64_t clone_flags)
{
	pthread_mutex_lock(&m->mu);
	struct fdt_task *p = fdt_task_get(m, parent);
	struct fdt_table *tb = p->tab;
	char *cwd = xstrdup(p->cwd);
	struct fdt_task *c = fdt_task_find(m, child);
	if (!c)
		c = fdt_task_get(m, child);   /* may move p: not used below */
	table_put(c->tab);
	free(c->cwd);
	c->cwd = cwd;
	if (clone_flags & CLONE_FILES) {
		c->tab = tb;
		tb->users++;
	} else {
		struct fdt_table *copy = xcalloc(1, sizeof(*copy));
		copy->users = 1;
		copy->n = copy->cap = tb->n;
		copy->fds = xmalloc((tb->n ? tb->n : 1) * sizeof(copy->fds[0]));
		memcpy(copy->fds, tb->fds, tb->n * sizeof(copy->fds[0]));
		for (size_t i = 0; i < tb->n; i++)
			copy->fds[i].desc->refs++;
		c->tab = copy;
	}
	pthread_mutex_unlock(&m->mu);
}

void fdtab_exec(struct fdtab *m, int tid)
{
	pthread_mutex_lock(&m->mu);
	struct fdt_task *t = fdt_task_get(m, tid);
	struct fdt_table *tb = t->tab;
	if (tb->users > 1) {
		/* exec unshares the table (unshare_files) before closing */
		struct fdt_table *own = xcalloc(1, sizeof(*own));
		own->users = 1;
		for (size_t i = 0; i < tb->n; i++)
			fdt_install(own, tb->fds[i].fd, tb->fds[i].desc, tb->fds[i].fdflags);
		tb->users--;
		t->tab = tb = own;
	}
	for (size_t i = tb->n; i-- > 0;)
		if (tb->fds[i].fdflags & FD_CLOEXEC)
			fdt_close(tb, tb->fds[i].fd);
	pthread_mutex_unlock(&m->mu);
}

void fdtab_exit(struct fdtab *m, int tid)
{
	pthread_mutex_lock(&m->mu);
	struct fdt_task *t = fdt_task_find(m, tid);
	if (t) {
		table_put(t->tab);
		free(t->cwd);
		*t = m->tasks[--m->ntasks];
	}
	pthread_mutex_unlock(&m->mu);
}

const struct fdt_table *fdtab_get(struct fdtab *m, int tid)
{
	struct fdt_task *t = fdt_task_find(m, tid);
	return t ? t->tab : NULL;
}
