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
	pthread_mutex_t mu;          /* names, count, the file, announced */
	char **names;
	size_t n;
	/* per domain: its creator's stream holds the EV_TASK that made it */
	uint8_t *announced;
	uint32_t nannounced;
};

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
		uint32_t k = 0;
		for (uint32_t i = 0; i < bm.npos; i++) {
			if (tid && bm.streams[i] == stream)
				bm.index[i] = at;
			/* A stream made by a call its creator has not logged yet
			 * (a vfork's parent logs it after the child's exec): replay
			 * makes the stream only when the creator runs that call,
			 * past its position.  Leave it out: that domain parks at
			 * its first boundary, if it exists by then. */
			if (bm.streams[i] && (bm.streams[i] >= b->nannounced ||
			                      !b->announced[bm.streams[i]]))
				continue;
			bm.streams[k] = bm.streams[i];
			bm.index[k++] = bm.index[i];
		}
		bm.npos = k;
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
	free(b->announced);
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

/* The creator of domain `dom` logged the EV_TASK that made it. */
static void announce(struct rec_bm *b, uint32_t dom)
{
	pthread_mutex_lock(&b->mu);
	if (dom >= b->nannounced) {
		uint32_t n = MAX(dom + 1, b->nannounced * 2);
		b->announced = xrealloc(b->announced, n);
		memset(b->announced + b->nannounced, 0, n - b->nannounced);
		b->nannounced = n;
	}
	b->announced[dom] = 1;
	pthread_mutex_unlock(&b->mu);
}

void rec_bm_event(struct recorder *r, struct task *t, const struct event *ev, uint64_t at)
{
	if (!r->bm)
		return;
	if (ev->type == EV_TASK && ev->task.domain != t->dom->id)
		announce(r->bm, ev->task.domain);
	else if (ev->type == EV_SYSCALL && ev->sys.nstrings && path_call(ev->sys.nr)) {
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
