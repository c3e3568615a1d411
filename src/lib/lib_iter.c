/* lib_iter.c -- libscribe: walk a trace's streams and hand out its events
 * in batches (scribe_trace_next), with the checks `scribe dump` makes:
 * damage stops the walk with the events before it delivered, and a
 * complete recording's per-stream counts catch a stream cut at a chunk
 * boundary. */
#include "lib/lib_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "preload/sbuf.h"

/* Fail for good: later calls return the same code and message. */
static int stop(scribe_trace *tr, int code)
{
	return tr->sticky = code;
}

static int stop_last(scribe_trace *tr)
{
	const char *m = err_get();
	lib_fail_last(tr->err, SCRIBE_E_CORRUPT);
	return stop(tr, strstr(m, "version") ? SCRIBE_E_VERSION :
	                strstr(m, "cannot open") || strstr(m, "read error") ? SCRIBE_E_IO :
	                SCRIBE_E_CORRUPT);
}

static bool wanted_stream(const scribe_trace *tr, int i)
{
	return tr->opts.stream < 0 || (uint32_t)tr->opts.stream == tr->streams[i];
}

static bool wanted(const scribe_trace *tr, const struct scribe_event *e)
{
	if (tr->opts.kinds && !(tr->opts.kinds & SCRIBE_KIND_BIT(e->kind)))
		return false;
	return !tr->opts.tid || tr->opts.tid == e->tid;
}

/* How many events the unfiltered walk yields for one encoded event: one,
 * and one more per call of a buffered batch. */
static uint64_t yields(const uint8_t *p, size_t len)
{
	struct event ev;
	if (!len || p[0] != EV_BUF || ev_decode(p, len, &ev) < 0)
		return 1;
	uint64_t n = 1;
	for (uint64_t off = 0; off + sizeof(struct sb_rec) <= ev.buf.recs.len;) {
		struct sb_rec rec;
		if (!sb_rec_at(ev.buf.recs.p, ev.buf.recs.len, off, &rec))
			break;
		off += sb_rec_stride(rec.size);
		n += lib_rec_is_call(rec.nr);
	}
	ev_clear(&ev);
	return n;
}

/* With a stream filter, the global index still counts the streams before
 * it: walk them.  Damage there leaves the index unknown (UINT64_MAX). */
static void count_before(scribe_trace *tr)
{
	tr->global_known = true;
	for (int i = 0; i < tr->si; i++) {
		struct trc_reader *rd = trc_reader_open(tr->dir, tr->streams[i], true);
		const uint8_t *p;
		size_t len;
		uint64_t idx;
		enum trc_read_status st = TRC_END;
		while (rd && (st = trc_reader_next(rd, &p, &len, &idx)) == TRC_OK)
			tr->global += yields(p, len);
		trc_reader_close(rd);
		if (!rd || st != TRC_END) {
			tr->global_known = false;
			return;
		}
	}
}

/* The end of the walk: what dump said after the last event. */
static int finish(scribe_trace *tr)
{
	const struct trc_header *h = &tr->hdr;
	tr->done = true;
	for (int i = 0; i < tr->nstreams && h->complete; i++) {
		uint32_t d = tr->streams[i];
		if (!wanted_stream(tr, i) || d >= h->n_stream_events)
			continue;
		if (tr->have[i] < h->stream_events[d]) {
			lib_fail(tr->err, SCRIBE_E_TRUNCATED,
			         "trace ends early at event %llu of domain %u: %s",
			         (unsigned long long)tr->have[i], d, trc_end_reason(h));
			return stop(tr, SCRIBE_E_TRUNCATED);
		}
	}
	if (!h->complete) {
		/* every chunk is intact, but the recorder never finished */
		lib_fail(tr->err, SCRIBE_E_TRUNCATED, "trace ends early at event %llu: %s",
		         (unsigned long long)(tr->visited[0] ? tr->have[0] : 0), trc_end_reason(h));
		return stop(tr, SCRIBE_E_TRUNCATED);
	}
	return 0;
}

/* Open the next wanted stream; 1 when one was opened, 0 at the end. */
static int next_stream(scribe_trace *tr, struct scribe_event *marker, bool *have_marker)
{
	while (tr->si < tr->nstreams && !wanted_stream(tr, tr->si))
		tr->si++;
	if (tr->si >= tr->nstreams)
		return 0;
	if (!tr->global_known)
		count_before(tr);
	tr->rd = trc_reader_open(tr->dir, tr->streams[tr->si], true);
	if (!tr->rd)
		return stop_last(tr);
	*have_marker = tr->opts.flags & SCRIBE_OPEN_STREAMS;
	*marker = (struct scribe_event){ .size = sizeof(*marker), .kind = SCRIBE_EV_STREAM,
	                                 .stream = tr->streams[tr->si], .nr = -1,
	                                 .name = "stream",
	                                 .index = tr->global_known ? tr->global : UINT64_MAX };
	return 1;
}

/* Read and decode the stream's next event into *out; 1, 0 at the end of
 * the stream, or an error code. */
static int read_event(scribe_trace *tr, struct scribe_event *out)
{
	const uint8_t *p;
	size_t len;
	uint64_t idx;
	enum trc_read_status st = trc_reader_next(tr->rd, &p, &len, &idx);
	if (st == TRC_END)
		return 0;
	if (st == TRC_TRUNCATED) {
		lib_fail(tr->err, SCRIBE_E_TRUNCATED, "trace ends early at event %llu: %s",
		         (unsigned long long)trc_reader_position(tr->rd), trc_end_reason(&tr->hdr));
		return stop(tr, SCRIBE_E_TRUNCATED);
	}
	if (st == TRC_CORRUPT)
		return stop_last(tr);
	/* the reader's buffer lasts two chunks: the events of one batch of
	 * ours may span more, so each keeps its own copy */
	uint8_t *raw = xmalloc(len ? len : 1);
	memcpy(raw, p, len);
	struct event *ev = xmalloc(sizeof(*ev));
	if (ev_decode(raw, len, ev) < 0) {
		free(raw);
		free(ev);
		lib_fail(tr->err, SCRIBE_E_CORRUPT, "event %llu: %s", (unsigned long long)idx,
		         err_get());
		return stop(tr, SCRIBE_E_CORRUPT);
	}
	tr->have[tr->si] = idx + 1;
	lib_pid_learn(&tr->pids, ev);
	*out = (struct scribe_event){ .size = sizeof(*out), .stream = tr->streams[tr->si],
	                              .stream_index = idx };
	lib_event_fill(tr, ev, out);
	if (ev->type == EV_BUF) {
		tr->batch = (struct lib_batch){ .live = true, .raw = raw, .ev = *ev,
		                                .stream_index = idx };
		free(ev);
	} else {
		lib_pool_add(&tr->pool, raw, false);
		lib_pool_add(&tr->pool, ev, true);
	}
	return 1;
}

/* The next event of the unfiltered walk into *out: 1, 0 at the end, or
 * an error code. */
static int walk(scribe_trace *tr, struct scribe_event *out)
{
	for (;;) {
		if (tr->batch.live && lib_batch_next(tr, out)) {
			out->stream = tr->streams[tr->si];
			return 1;
		}
		if (!tr->rd) {
			bool marker = false;
			int rc = next_stream(tr, out, &marker);
			if (rc <= 0)
				return rc;
			if (marker)
				return 1;
		}
		int rc = read_event(tr, out);
		if (rc != 0)
			return rc;
		tr->visited[tr->si] = true;
		trc_reader_close(tr->rd);
		tr->rd = NULL;
		tr->si++;
	}
}

/* The size of struct scribe_event in API version 1 (argv was its last
 * member): no caller's is smaller. */
#define EVENT_SIZE_V1 (offsetof(struct scribe_event, argv) + sizeof(const char *const *))

int scribe_trace_next_v(scribe_trace *tr, struct scribe_event *buf, size_t n,
                        size_t event_size)
{
	if (!tr || (!buf && n))
		return SCRIBE_E_ARG;
	if (event_size < EVENT_SIZE_V1)
		return lib_fail(tr->err, SCRIBE_E_ARG, "struct scribe_event of %zu bytes: "
		                "older than any libscribe", event_size);
	err_private_thread();
	lib_pool_clear(&tr->pool);
	size_t k = 0, size = MIN(event_size, sizeof(struct scribe_event));
	while (k < n && !tr->sticky && !tr->done) {
		struct scribe_event e;
		int rc = walk(tr, &e);
		if (rc < 0)
			break;
		if (rc == 0) {
			finish(tr);
			break;
		}
		if (e.kind != SCRIBE_EV_STREAM) {
			e.index = tr->global_known ? tr->global : UINT64_MAX;
			tr->global++;
			if (!wanted(tr, &e))
				continue;
		}
		e.size = (uint32_t)size;
		memcpy((char *)buf + k++ * event_size, &e, size);
	}
	/* events before the damage first; the error at the next call */
	if (k)
		return (int)k;
	return tr->sticky;
}
