/* trace_writer.c -- append events to per-domain streams; a background thread
 * compresses (zstd) and checksums (xxh64) whole chunks and writes them, at
 * least once a second, so the tracer's hot path is a memcpy. */
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#define QUEUE_LIMIT (64u << 20)   /* bytes queued before append waits */
#define ZSTD_LEVEL  1

struct job {
	struct trc_stream *s;
	struct buf data;
	uint64_t first;
	uint32_t nev;
	struct job *next;
};

struct trc_stream {
	struct trc_writer *w;
	uint32_t dom;
	int fd;
	struct buf cur;          /* chunk being filled */
	uint64_t cur_first;
	uint32_t cur_nev;
	uint64_t next_index;
	uint64_t bytes;          /* bytes written to the file */
	struct trc_stream *next;
};

struct trc_writer {
	char *dir;
	pthread_mutex_t mu;
	pthread_cond_t wake, drained;
	pthread_t thread;
	struct job *head, **tail;
	size_t queued;
	bool stop;
	int error;
	void (*on_error)(void *, int);
	void *on_error_arg;
	struct trc_stream *streams;
	ZSTD_CCtx *zc;
	struct buf zbuf;
};

static void *writer_main(void *arg);

uint64_t trc_chunk_sum(const uint8_t *hdr, const void *payload, size_t len)
{
	XXH64_state_t *st = XXH64_createState();
	XXH64_reset(st, 0);
	XXH64_update(st, hdr, 32);
	XXH64_update(st, payload, len);
	uint64_t sum = XXH64_digest(st);
	XXH64_freeState(st);
	return sum;
}

struct trc_writer *trc_writer_create(const char *dir)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		err_set("cannot create trace directory %s: %s", dir, strerror(errno));
		return NULL;
	}
	struct trc_writer *w = xcalloc(1, sizeof(*w));
	w->dir = xstrdup(dir);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_cond_init(&w->drained, NULL);
	pthread_condattr_destroy(&ca);
	w->tail = &w->head;
	w->zc = ZSTD_createCCtx();
	if (!w->zc)
		fatal("cannot create zstd context");
	/* The writer takes no signals: they are for the tracer (its tick
	 * must interrupt the tracer's waitpid, not the writer's writes). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		fatal("cannot start the trace writer thread");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return w;
}

const char *trc_writer_dir(struct trc_writer *w) { return w->dir; }

void trc_writer_on_error(struct trc_writer *w, void (*fn)(void *, int), void *arg)
{
	w->on_error = fn;
	w->on_error_arg = arg;
}

int trc_writer_error(struct trc_writer *w)
{
	return __atomic_load_n(&w->error, __ATOMIC_RELAXED);
}

/* The stream's file, created by the writer thread from the job that
 * trc_stream_create queues ahead of any chunk of the stream: creating a file can take a third of a millisecond
 * (ext4 without a journal steps over every inode deleted in the last
 * minutes), and a build starts a stream for every process, each on a
 * tracer thread that its tracee is waiting for.  -1 with errno set on
 * failure. */
static int stream_file(struct trc_writer *w, struct trc_stream *s)
{
	char *path = xasprintf("%s/events.%u", w->dir, s->dom);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0)
		return -1;
	uint8_t pre[TRC_PRELUDE];
	uint32_t ver = TRC_VERSION;
	memcpy(pre, TRC_MAGIC_EVS, 8);
	memcpy(pre + 8, &ver, 4);
	memcpy(pre + 12, &s->dom, 4);
	if (write_all(fd, pre, sizeof(pre)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	s->fd = fd;
	return 0;
}

static void queue_locked(struct trc_writer *w, struct job *j)
{
	*w->tail = j;
	w->tail = &j->next;
	w->queued += j->data.len;
	pthread_cond_signal(&w->wake);
}

struct trc_stream *trc_stream_create(struct trc_writer *w, uint32_t dom)
{
	struct trc_stream *s = xcalloc(1, sizeof(*s));
	s->w = w;
	s->dom = dom;
	s->fd = -1;
	s->bytes = TRC_PRELUDE;
	struct job *create = xcalloc(1, sizeof(*create));   /* no events: the file */
	create->s = s;
	pthread_mutex_lock(&w->mu);
	s->next = w->streams;
	w->streams = s;
	queue_locked(w, create);
	pthread_mutex_unlock(&w->mu);
	return s;
}

/* Move the stream's current chunk to the write queue.  Caller holds mu. */
static void enqueue_locked(struct trc_stream *s)
{
	if (!s->cur_nev)
		return;
	struct job *j = xcalloc(1, sizeof(*j));
	j->s = s;
	j->data = s->cur;
	j->first = s->cur_first;
	j->nev = s->cur_nev;
	memset(&s->cur, 0, sizeof(s->cur));
	s->cur_nev = 0;
	s->cur_first = s->next_index;
	queue_locked(s->w, j);
}

void trc_stream_finish(struct trc_stream *s)
{
	pthread_mutex_lock(&s->w->mu);
	enqueue_locked(s);
	pthread_mutex_unlock(&s->w->mu);
}

uint64_t trc_stream_append(struct trc_stream *s, const void *ev, size_t len)
{
	struct trc_writer *w = s->w;
	pthread_mutex_lock(&w->mu);
	if (!s->cur_nev)
		s->cur_first = s->next_index;
	buf_varint(&s->cur, len);
	buf_put(&s->cur, ev, len);
	s->cur_nev++;
	uint64_t idx = s->next_index++;
	if (s->cur.len >= TRC_CHUNK_FLUSH)
		enqueue_locked(s);
	while (w->queued > QUEUE_LIMIT && !w->error)
		pthread_cond_wait(&w->drained, &w->mu);
	pthread_mutex_unlock(&w->mu);
	return idx;
}

uint64_t trc_stream_events(struct trc_stream *s)
{
	pthread_mutex_lock(&s->w->mu);
	uint64_t n = s->next_index;
	pthread_mutex_unlock(&s->w->mu);
	return n;
}

/* Streams are prepended as they are made: collect, then sort by domain. */
static int cmp_pos(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

uint32_t trc_writer_positions(struct trc_writer *w, uint32_t **streams, uint64_t **index)
{
	pthread_mutex_lock(&w->mu);
	uint32_t n = 0;
	for (struct trc_stream *s = w->streams; s; s = s->next)
		n++;
	struct { uint32_t dom, pad; uint64_t idx; } *v = xcalloc(n + 1, sizeof(*v));
	uint32_t k = 0;
	for (struct trc_stream *s = w->streams; s; s = s->next, k++) {
		v[k].dom = s->dom;
		v[k].idx = s->next_index;
	}
	pthread_mutex_unlock(&w->mu);
	qsort(v, n, sizeof(*v), cmp_pos);
	*streams = xcalloc(n + 1, sizeof(**streams));
	*index = xcalloc(n + 1, sizeof(**index));
	for (uint32_t i = 0; i < n; i++) {
		(*streams)[i] = v[i].dom;
		(*index)[i] = v[i].idx;
	}
	free(v);
	return n;
}

static int write_chunk(struct trc_writer *w, struct job *j)
{
	size_t bound = ZSTD_compressBound(j->data.len);
	w->zbuf.len = 0;
	buf_reserve(&w->zbuf, bound);
	size_t z = ZSTD_compressCCtx(w->zc, w->zbuf.p, bound, j->data.p, j->data.len, ZSTD_LEVEL);
	const uint8_t *payload = w->zbuf.p;
	uint32_t flags = 1;
	if (ZSTD_isError(z) || z >= j->data.len) {
		payload = j->data.p;       /* incompressible: store raw */
		z = j->data.len;
		flags = 0;
	}
	uint8_t hdr[TRC_CHUNK_HDR] = {0};
	uint32_t magic = TRC_CHUNK_MAGIC, raw = j->data.len, stored = z;
	memcpy(hdr, &magic, 4);
	memcpy(hdr + 4, &flags, 4);
	memcpy(hdr + 8, &raw, 4);
	memcpy(hdr + 12, &stored, 4);
	memcpy(hdr + 16, &j->first, 8);
	memcpy(hdr + 24, &j->nev, 4);
	uint64_t sum = trc_chunk_sum(hdr, payload, z);
	memcpy(hdr + 32, &sum, 8);

	/* One writev per chunk keeps a killed recorder from leaving anything
	 * but a truncated tail. */
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)payload, z } };
	size_t total = sizeof(hdr) + z, done = 0;
	while (done < total) {
		ssize_t n;
		if (done < sizeof(hdr)) {
			struct iovec v[2] = { { hdr + done, sizeof(hdr) - done }, iov[1] };
			n = writev(j->s->fd, v, 2);
		} else {
			n = write(j->s->fd, payload + (done - sizeof(hdr)), total - done);
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += n;
	}
	j->s->bytes += total;
	return 0;
}

static void *writer_main(void *arg)
{
	struct trc_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		if (!w->head && !w->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_sec += 1;
			int rc = pthread_cond_timedwait(&w->wake, &w->mu, &ts);
			if (rc == ETIMEDOUT)    /* the once-a-second flush */
				for (struct trc_stream *s = w->streams; s; s = s->next)
					enqueue_locked(s);
		}
		if (w->stop)
			for (struct trc_stream *s = w->streams; s; s = s->next)
				enqueue_locked(s);
		struct job *list = w->head;
		w->head = NULL;
		w->tail = &w->head;
		if (!list && w->stop)
			break;
		pthread_mutex_unlock(&w->mu);
		while (list) {
			struct job *j = list;
			list = j->next;
			if (!w->error && (j->nev ? write_chunk(w, j) : stream_file(w, j->s)) < 0) {
				int e = errno;
				__atomic_store_n(&w->error, e, __ATOMIC_RELAXED);
				if (w->on_error)
					w->on_error(w->on_error_arg, e);
			}
			pthread_mutex_lock(&w->mu);
			w->queued -= j->data.len;
			pthread_cond_broadcast(&w->drained);
			pthread_mutex_unlock(&w->mu);
			buf_free(&j->data);
			free(j);
		}
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int trc_writer_close(struct trc_writer *w, uint64_t *events, uint64_t *bytes,
                     uint64_t **per_stream, uint32_t *nstreams)
{
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	uint64_t ev = 0, by = 0;
	uint32_t maxdom = 0;
	for (struct trc_stream *k = w->streams; k; k = k->next)
		maxdom = MAX(maxdom, k->dom + 1);
	uint64_t *counts = xcalloc(maxdom ? maxdom : 1, sizeof(*counts));
	struct trc_stream *s = w->streams;
	while (s) {
		struct trc_stream *n = s->next;
		counts[s->dom] = s->next_index;
		ev += s->next_index;
		by += s->bytes;
		if (s->fd >= 0)
			close(s->fd);
		buf_free(&s->cur);
		free(s);
		s = n;
	}
	if (events)
		*events = ev;
	if (bytes)
		*bytes = by;
	if (per_stream) {
		*per_stream = counts;
		*nstreams = maxdom;
	} else {
		free(counts);
	}
	int err = w->error;
	ZSTD_freeCCtx(w->zc);
	buf_free(&w->zbuf);
	free(w->dir);
	free(w);
	if (err) {
		err_set("cannot write the trace: %s", strerror(err));
		return -1;
	}
	return 0;
}
