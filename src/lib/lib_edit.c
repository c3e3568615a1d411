/* lib_edit.c -- libscribe: write a new trace derived from an old one (a
 * call's result and data changed, a signal dropped, a stream cut).  The
 * streams are rewritten event by event through the trace writer; the
 * rest of the directory (files/) is linked, or copied, unchanged. */
#include "lib/lib_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "preload/sbuf.h"
#include "syscalls/table.h"

int scribe_edit_open(const char *path, scribe_edit **out)
{
	err_private_thread();
	scribe_edit *ed = calloc(1, sizeof(*ed));
	*out = ed;
	if (!ed)
		return SCRIBE_E_NOMEM;
	if (!path)
		return lib_fail(ed->err, SCRIBE_E_ARG, "no trace given");
	if (trc_header_read(path, &ed->hdr) < 0)
		return lib_fail_last(ed->err, SCRIBE_E_CORRUPT);
	ed->dir = xstrdup(path);
	return SCRIBE_OK;
}

void scribe_edit_close(scribe_edit *ed)
{
	if (!ed)
		return;
	for (size_t i = 0; i < ed->nedits; i++)
		free(ed->edits[i].data);
	free(ed->edits);
	if (ed->dir)
		trc_header_free(&ed->hdr);
	free(ed->dir);
	free(ed);
}

const char *scribe_edit_error(const scribe_edit *ed)
{
	return ed ? ed->err : "out of memory";
}

/* The encoded event (stream, index) of the source trace, copied into
 * *raw, and decoded into *ev. */
static int find_event(scribe_edit *ed, uint32_t stream, uint64_t index, uint8_t **raw,
                      struct event *ev)
{
	struct trc_reader *rd = trc_reader_open(ed->dir, stream, true);
	if (!rd)
		return lib_fail(ed->err, SCRIBE_E_ARG, "the trace has no stream %u", stream);
	const uint8_t *p;
	size_t len;
	uint64_t idx;
	enum trc_read_status st;
	while ((st = trc_reader_next(rd, &p, &len, &idx)) == TRC_OK && idx < index)
		;
	int rc = SCRIBE_OK;
	if (st != TRC_OK) {
		rc = lib_fail(ed->err, SCRIBE_E_ARG, "stream %u has no event %llu", stream,
		              (unsigned long long)index);
	} else {
		*raw = xmalloc(len ? len : 1);
		memcpy(*raw, p, len);
		if (ev_decode(*raw, len, ev) < 0) {
			rc = lib_fail(ed->err, SCRIBE_E_CORRUPT, "event %llu: %s",
			              (unsigned long long)index, err_get());
			free(*raw);
		}
	}
	trc_reader_close(rd);
	return rc;
}

/* The offset of the sub-th (1-based) record of a batch, or -1. */
static int64_t record_at(const struct ev_buf *b, uint32_t sub, struct sb_rec *rec)
{
	uint64_t off = 0;
	for (uint32_t k = 1; off + sizeof(*rec) <= b->recs.len; k++) {
		if (!sb_rec_at(b->recs.p, b->recs.len, off, rec))
			return -1;
		if (k == sub)
			return (int64_t)off;
		off += sb_rec_stride(rec->size);
	}
	return -1;
}

/* Does (stream, index, sub) name an event an edit of op can change? */
static int check_target(scribe_edit *ed, int op, uint32_t stream, uint64_t index, uint32_t sub,
                        bool data)
{
	uint8_t *raw = NULL;
	struct event ev;
	int rc = find_event(ed, stream, index, &raw, &ev);
	if (rc < 0)
		return rc;
	struct sb_rec rec = { 0 };
	if (sub && (ev.type != EV_BUF || record_at(&ev.buf, sub, &rec) < 0 ||
	            !lib_rec_is_call(rec.nr)))
		rc = lib_fail(ed->err, SCRIBE_E_ARG, "event %u:%llu has no buffered call %u",
		              stream, (unsigned long long)index, sub);
	else if (op == ED_DROP && (sub || ev.type != EV_SIGNAL))
		rc = lib_fail(ed->err, SCRIBE_E_ARG, "only signals can be dropped, not a %s event",
		              sub ? "syscall" : ev_type_name(ev.type));
	else if (op == ED_RESULT && !sub && ev.type != EV_SYSCALL)
		rc = lib_fail(ed->err, SCRIBE_E_ARG, "only a syscall has a result, not a %s event",
		              ev_type_name(ev.type));
	else if (op == ED_RESULT && !sub && data && !ev.sys.nregions &&
	         (!sys_desc(ev.sys.nr) || sys_desc(ev.sys.nr)->out[0].kind == O_NONE))
		rc = lib_fail(ed->err, SCRIBE_E_ARG, "%s writes no memory: it cannot be given data",
		              sys_name(ev.sys.nr));
	else if (op == ED_RESULT && sub && (rec.nr & (SB_REC_FILE | SB_REC_MAP)))
		rc = lib_fail(ed->err, SCRIBE_E_ARG, "the buffered call keeps its bytes in the "
		              "trace's files/, by reference: it cannot be edited");
	ev_clear(&ev);
	free(raw);
	return rc;
}

static int add_edit(scribe_edit *ed, struct lib_edit e)
{
	if (!ed || !ed->dir)
		return SCRIBE_E_ARG;
	err_private_thread();
	int rc = check_target(ed, e.op, e.stream, e.index, e.sub, e.data != NULL);
	if (rc < 0) {
		free(e.data);
		return rc;
	}
	ed->edits = xgrow(ed->edits, ed->nedits, &ed->cap, sizeof(*ed->edits), 8);
	ed->edits[ed->nedits++] = e;
	return SCRIBE_OK;
}

int scribe_edit_set_result(scribe_edit *ed, uint32_t stream, uint64_t index, uint32_t sub,
                           int64_t result, const void *data, size_t len)
{
	uint8_t *copy = NULL;
	if (data) {
		copy = xmalloc(len ? len : 1);
		memcpy(copy, data, len);
	}
	return add_edit(ed, (struct lib_edit){ ED_RESULT, stream, sub, index, result, copy, len });
}

/* The output number of a traced call that wrote to the recording's
 * stdout or stderr, or -1 with a message. */
static int64_t output_number(scribe_edit *ed, uint32_t stream, uint64_t index)
{
	uint8_t *raw = NULL;
	struct event ev;
	if (find_event(ed, stream, index, &raw, &ev) < 0)
		return -1;
	int64_t seq = -1;
	if (ev.type == EV_SYSCALL && (ev.sys.flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR)))
		seq = (int64_t)ev.sys.outseq;
	else
		lib_fail(ed->err, SCRIBE_E_ARG, "event %u:%llu is no output to stdout or stderr",
		         stream, (unsigned long long)index);
	ev_clear(&ev);
	free(raw);
	return seq;
}

int scribe_edit_reorder(scribe_edit *ed, uint32_t stream_a, uint64_t index_a,
                        uint32_t stream_b, uint64_t index_b)
{
	if (!ed || !ed->dir)
		return SCRIBE_E_ARG;
	err_private_thread();
	if (stream_a == stream_b)
		return lib_fail(ed->err, SCRIBE_E_ARG, "events of one stream keep their order: "
		                "it is the order the domain ran them in");
	int64_t a = output_number(ed, stream_a, index_a);
	int64_t b = a < 0 ? -1 : output_number(ed, stream_b, index_b);
	if (b < 0)
		return SCRIBE_E_ARG;
	ed->edits = xgrow(ed->edits, ed->nedits, &ed->cap, sizeof(*ed->edits), 8);
	ed->edits[ed->nedits++] = (struct lib_edit){ ED_OUTSEQ, stream_a, 0, index_a, b, NULL, 0 };
	ed->edits = xgrow(ed->edits, ed->nedits, &ed->cap, sizeof(*ed->edits), 8);
	ed->edits[ed->nedits++] = (struct lib_edit){ ED_OUTSEQ, stream_b, 0, index_b, a, NULL, 0 };
	return SCRIBE_OK;
}

int scribe_edit_drop(scribe_edit *ed, uint32_t stream, uint64_t index, uint32_t sub)
{
	return add_edit(ed, (struct lib_edit){ ED_DROP, stream, sub, index, 0, NULL, 0 });
}

int scribe_edit_cut(scribe_edit *ed, uint32_t stream, uint64_t index, uint32_t sub)
{
	return add_edit(ed, (struct lib_edit){ ED_CUT, stream, sub, index, 0, NULL, 0 });
}
