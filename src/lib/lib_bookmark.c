/* lib_bookmark.c -- a trace's bookmarks as the API hands them out
 * (scribe_trace_bookmarks, scribe_trace_bookmark). */
#include "lib/lib_int.h"

#include <stdlib.h>

#include "core/util.h"

static int load(scribe_trace *tr)
{
	if (tr->bms_read)
		return SCRIBE_OK;
	if (trc_bookmarks_read(tr->dir, &tr->bms, &tr->nbms) < 0)
		return lib_fail_last(tr->err, SCRIBE_E_CORRUPT);
	tr->bms_read = true;
	return SCRIBE_OK;
}

int scribe_trace_bookmarks(scribe_trace *tr)
{
	if (!tr)
		return SCRIBE_E_ARG;
	int rc = load(tr);
	return rc != SCRIBE_OK ? rc : (int)tr->nbms;
}

int scribe_trace_bookmark(scribe_trace *tr, uint32_t i, struct scribe_bookmark *bm)
{
	if (!tr || !bm)
		return SCRIBE_E_ARG;
	if (bm->size < sizeof(*bm))
		return lib_fail(tr->err, SCRIBE_E_ARG, "struct scribe_bookmark: size not set");
	int rc = load(tr);
	if (rc != SCRIBE_OK)
		return rc;
	if (i >= tr->nbms)
		return lib_fail(tr->err, SCRIBE_E_ARG, "the trace has %zu bookmarks, no %u",
		                tr->nbms, i);
	const struct trc_bookmark *b = &tr->bms[i];
	bm->size = sizeof(*bm);
	bm->name = b->name;
	bm->time_ns = b->time_ns;
	bm->tid = (int32_t)b->tid;
	bm->stream = b->stream;
	bm->npos = b->npos;
	bm->streams = b->streams;
	bm->stream_index = b->index;
	return SCRIBE_OK;
}

void lib_bookmarks_free(scribe_trace *tr)
{
	trc_bookmarks_free(tr->bms, tr->nbms);
	tr->bms = NULL;
	tr->nbms = 0;
	tr->bms_read = false;
}
