/* record_bookmark.c -- bookmarks while recording: the control socket
 * `scribe bookmark` talks to, and the program's own bookmarks (a path
 * call on /dev/scribe/bookmark/NAME).  Both end in bm_add, which takes
 * every stream's position under the trace writer's lock and appends a
 * line to the trace's bookmarks file (trace/trace_bookmark.h).
 *
 * The socket is TRACE/control, a SOCK_STREAM Unix socket that lives as
 * long as the recording: made before the program starts, removed when the
 * recording ends or fails.  Protocol: one request line, one answer line.
 *
 *   request   "bookmark NAME\n" or "bookmark\n" (the recorder names it bm-N)
 *   answer    "ok NAME S:I S:I...\n", or "error MESSAGE\n" */
#include "record/record_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"
#include "preload/sbuf.h"
#include "trace/trace_bookmark.h"

struct rec_bm {
	struct recorder *r;
	char *path;                  /* TRACE/control */
	int dirfd;                   /* O_PATH of the trace: short socket names */
	int lfd;                     /* listening socket */
	int stopfd[2];               /* a byte here ends the thread */
	pthread_t thread;
	bool running;                /* the thread */
	pthread_mutex_t mu;          /* names, count, the file, org */
	char **names;
	size_t n;
	/* per domain, what its creation left the cut to respect (make_cut) */
	struct origin *org;
	uint32_t norg;
};

/* How a domain came to be, as its creator's stream logged it. */
struct origin {
	bool known;                  /* the creator logged its EV_TASK ... */
	uint32_t creator;            /* ... in this stream ... */
	uint64_t task_at;            /* ... at this index, after the call */
	bool vfork_pending;          /* a vfork child that has not logged its
	                                exec or exit: its creator resumed, but
	                                in replay resumes only once it has */
};

static uint64_t *pos_in(struct trc_bookmark *bm, uint32_t stream)
{
	for (uint32_t i = 0; i < bm->npos; i++)
		if (bm->streams[i] == stream)
			return &bm->index[i];
	return NULL;
}

/* Make the cut one replay can reach: events logged out of the order
 * replay needs them in are the creations.  A stream whose creator has not
 * logged its creation is left out (a vfork child runs to its exec before
 * its parent's vfork returns); a vfork child whose exec or exit is not
 * logged yet pulls its creator back before the vfork (replay keeps the
 * parent in vfork until the child gets there) and is left out; and
 * what a creator made at or after its position is left out, to the end
 * of the chain.  With b->mu held. */
static void make_cut(struct rec_bm *b, struct trc_bookmark *bm)
{
	for (uint32_t i = 0; i < bm->npos; i++) {
		uint32_t s = bm->streams[i];
		const struct origin *o = s < b->norg ? &b->org[s] : NULL;
		uint64_t *cp = o && o->known ? pos_in(bm, o->creator) : NULL;
		if (cp && o->vfork_pending && o->task_at && *cp > o->task_at - 1)
			*cp = o->task_at - 1;
	}
	for (bool again = true; again;) {
		again = false;
		uint32_t k = 0;
		for (uint32_t i = 0; i < bm->npos; i++) {
			uint32_t s = bm->streams[i];
			const struct origin *o = s < b->norg ? &b->org[s] : NULL;
			uint64_t *cp = o && o->known ? pos_in(bm, o->creator) : NULL;
			if (s && (!cp || *cp <= o->task_at)) {
				again = true;
				continue;
			}
			bm->streams[k] = s;
			bm->index[k++] = bm->index[i];
		}
		bm->npos = k;
	}
}

/* The socket's address: its path, or when that is too long for
 * sun_path, a name through our O_PATH descriptor of the directory. */
static socklen_t addr_of(struct rec_bm *b, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(b->path) < sizeof(a->sun_path))
		memcpy(a->sun_path, b->path, strlen(b->path));
	else
		snprintf(a->sun_path, sizeof(a->sun_path), "/proc/self/fd/%d/%s", b->dirfd,
		         TRC_CONTROL);
	return (socklen_t)sizeof(*a);
}

static bool known(struct rec_bm *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->names[i], name))
			return true;
	return false;
}

/* Take bookmark `name` (NULL: bm-N) now.  tid/stream/at: a task's own
 * bookmark, before event `at` of its stream.  Fills `answer` (one line,
 * no newline) and returns 0, or -1 with the reason in `answer`. */
static int bm_add(struct rec_bm *b, const char *name, uint32_t tid, uint32_t stream, uint64_t at,
                  char *answer, size_t cap)
{
	pthread_mutex_lock(&b->mu);
	char auto_name[32];
	if (!name) {
		unsigned k = (unsigned)b->n + 1;
		do
			snprintf(auto_name, sizeof(auto_name), "bm-%u", k++);
		while (known(b, auto_name));
		name = auto_name;
	}
	int rc = -1;
	if (!trc_bookmark_name_ok(name)) {
		snprintf(answer, cap, "%s", err_get());
	} else if (known(b, name)) {
		snprintf(answer, cap, "the recording has a bookmark named '%s' already", name);
	} else {
		struct trc_bookmark bm = { .name = (char *)name, .time_ns = now_ns(), .tid = tid,
		                           .stream = stream };
		bm.npos = trc_writer_positions(b->r->w, &bm.streams, &bm.index);
		for (uint32_t i = 0; i < bm.npos; i++)
			if (tid && bm.streams[i] == stream)
				bm.index[i] = at;
		make_cut(b, &bm);
		if (trc_bookmark_append(b->r->opts->dir, &bm) < 0) {
			snprintf(answer, cap, "%s", err_get());
		} else {
			b->names = xrealloc(b->names, (b->n + 1) * sizeof(*b->names));
			b->names[b->n++] = xstrdup(name);
			size_t len = (size_t)snprintf(answer, cap, "%s", name);
			for (uint32_t i = 0; i < bm.npos && len < cap; i++)
				len += (size_t)snprintf(answer + len, cap - len, " %u:%" PRIu64,
				                        bm.streams[i], bm.index[i]);
			rc = 0;
		}
		free(bm.streams);
		free(bm.index);
	}
	pthread_mutex_unlock(&b->mu);
	return rc;
}

/* One client: its request line, our answer.  A client that says nothing
 * for a second is dropped (the recording must not wait for it). */
static void serve(struct rec_bm *b, int fd)
{
	struct timeval tv = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	char req[256];
	size_t len = 0;
	while (len < sizeof(req) - 1 && !memchr(req, '\n', len)) {
		ssize_t k = read(fd, req + len, sizeof(req) - 1 - len);
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	req[len] = 0;
	char *nl = strchr(req, '\n');
	char answer[8192];
	int rc = -1;
	if (!nl) {
		snprintf(answer, sizeof(answer), "a request is one line");
	} else {
		*nl = 0;
		if (!strcmp(req, "bookmark"))
			rc = bm_add(b, NULL, 0, 0, 0, answer, sizeof(answer));
		else if (!strncmp(req, "bookmark ", 9))
			rc = bm_add(b, req + 9, 0, 0, 0, answer, sizeof(answer));
		else
			snprintf(answer, sizeof(answer), "unknown request");
	}
	char *line = xasprintf("%s %s\n", rc ? "error" : "ok", answer);
	(void)write_all(fd, line, strlen(line));
	free(line);
}

static void *control_main(void *arg)
{
	struct rec_bm *b = arg;
	for (;;) {
		struct pollfd p[2] = { { b->lfd, POLLIN, 0 }, { b->stopfd[0], POLLIN, 0 } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		int fd = accept4(b->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve(b, fd);
		close(fd);
	}
	return NULL;
}

int rec_bm_start(struct recorder *r)
{
	struct rec_bm *b = xcalloc(1, sizeof(*b));
	b->r = r;
	b->lfd = -1;
	b->stopfd[0] = b->stopfd[1] = -1;
	pthread_mutex_init(&b->mu, NULL);
	b->path = xasprintf("%s/%s", r->opts->dir, TRC_CONTROL);
	r->bm = b;
	b->dirfd = open(r->opts->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct sockaddr_un a;
	if (b->dirfd < 0 || (b->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(b->lfd, (struct sockaddr *)&a, addr_of(b, &a)) < 0 || listen(b->lfd, 8) < 0 ||
	    pipe2(b->stopfd, O_CLOEXEC) < 0) {
		/* A file system without sockets: record all the same, with
		 * the program's own bookmarks only. */
		fprintf(stderr, "scribe: warning: cannot make the control socket %s (%s): "
		        "'scribe bookmark' cannot reach this recording\n", b->path, strerror(errno));
		unlink(b->path);
		return 0;
	}
	/* the thread takes none of the signals the recorder handles */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(&b->thread, NULL, control_main, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		err_set("cannot start the control thread: %s", strerror(e));
		return -1;
	}
	b->running = true;
	return 0;
}

void rec_bm_unlink(struct recorder *r)
{
	if (r && r->bm && r->bm->path)
		unlink(r->bm->path);
}

void rec_bm_stop(struct recorder *r)
{
	struct rec_bm *b = r->bm;
	if (!b)
		return;
	rec_bm_unlink(r);
	if (b->running) {
		(void)!write(b->stopfd[1], "x", 1);
		pthread_join(b->thread, NULL);
	}
	int fds[] = { b->lfd, b->stopfd[0], b->stopfd[1], b->dirfd };
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (size_t i = 0; i < b->n; i++)
		free(b->names[i]);
	free(b->names);
	free(b->org);
	free(b->path);
	pthread_mutex_destroy(&b->mu);
	free(b);
	r->bm = NULL;
}

/* The NAME of a path naming a bookmark, or NULL. */
static const char *self_name(const char *path, size_t len)
{
	size_t pl = sizeof(TRC_BOOKMARK_PATH) - 1;
	if (len <= pl || len > pl + TRC_BOOKMARK_MAX || memcmp(path, TRC_BOOKMARK_PATH, pl))
		return NULL;
	return path + pl;
}

static void self_bookmark(struct recorder *r, struct task *t, const char *path, size_t len,
                          uint64_t at)
{
	char name[TRC_BOOKMARK_MAX + 1];
	const char *n = self_name(path, len);
	if (!n)
		return;
	size_t nl = len - (size_t)(n - path);
	memcpy(name, n, nl);
	name[nl] = 0;
	char answer[512];
	/* A bad or repeated name is ignored: the program's call fails as it
	 * would have anyway, and the first bookmark of a name stays. */
	(void)bm_add(r->bm, name, t->rec_tid, t->dom->id, at, answer, sizeof(answer));
}

/* Calls whose first path argument can set a bookmark. */
static bool path_call(long nr)
{
	switch (nr) {
	case SYS_access: case SYS_faccessat: case SYS_faccessat2: case SYS_stat:
	case SYS_lstat: case SYS_newfstatat: case SYS_statx: case SYS_open: case SYS_openat:
	case SYS_readlink: case SYS_readlinkat:
		return true;
	}
	return false;
}

/* Domain dom's origin, grown as needed (with b->mu held). */
static struct origin *origin(struct rec_bm *b, uint32_t dom)
{
	if (dom >= b->norg) {
		uint32_t n = MAX(dom + 1, b->norg * 2);
		b->org = xrealloc(b->org, n * sizeof(*b->org));
		memset(b->org + b->norg, 0, (n - b->norg) * sizeof(*b->org));
		b->norg = n;
	}
	return &b->org[dom];
}

/* What an event tells the cut about creations (make_cut). */
static void note_origin(struct rec_bm *b, struct task *t, const struct event *ev, uint64_t at)
{
	pthread_mutex_lock(&b->mu);
	if (ev->type == EV_TASK) {
		struct origin *o = origin(b, ev->task.domain);
		o->known = true;
		o->creator = t->dom->id;
		o->task_at = at;
		o->vfork_pending = (ev->task.flags & CLONE_VFORK) != 0;
	} else {
		origin(b, t->dom->id)->vfork_pending = false;   /* its exec or exit */
	}
	pthread_mutex_unlock(&b->mu);
}

void rec_bm_event(struct recorder *r, struct task *t, const struct event *ev, uint64_t at)
{
	if (!r->bm)
		return;
	if ((ev->type == EV_TASK && ev->task.domain != t->dom->id) || ev->type == EV_EXEC ||
	    ev->type == EV_EXIT ||
	    (ev->type == EV_SYSCALL && (ev->sys.nr == SYS_exit || ev->sys.nr == SYS_exit_group)))
		note_origin(r->bm, t, ev, at);
	if (ev->type == EV_SYSCALL && ev->sys.nstrings && path_call(ev->sys.nr)) {
		const struct ev_bytes *s = &ev->sys.strings[0];
		size_t len = strnlen((const char *)s->p, s->len);
		self_bookmark(r, t, (const char *)s->p, len, at);
	} else if (ev->type == EV_BUF) {
		/* a buffered path call: its record holds the path first; the
		 * bookmark is before the batch (replay stops at batches) */
		const uint8_t *recs = ev->buf.recs.p;
		uint64_t len = ev->buf.recs.len;
		for (uint64_t off = 0; off + sizeof(struct sb_rec) <= len;) {
			struct sb_rec rec;
			if (!sb_rec_at(recs, len, off, &rec))
				break;
			const char *p = (const char *)recs + off + sizeof(rec);
			size_t plen = rec.size - sizeof(rec);
			if (path_call(rec.nr))
				self_bookmark(r, t, p, strnlen(p, plen), at);
			off += sb_rec_stride(rec.size);
		}
	}
}
