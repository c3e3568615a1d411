/* bookmarks.c -- how `scribe dump` and `scribe info` show a trace's
 * bookmarks (through the public API: scribe_trace_bookmark). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "scribe.h"

/* Bookmark i of tr, or false. */
static bool get(scribe_trace *tr, int i, struct scribe_bookmark *b)
{
	b->size = sizeof(*b);
	return scribe_trace_bookmark(tr, (uint32_t)i, b) == SCRIBE_OK;
}

static void line(const struct scribe_bookmark *b, const char *indent)
{
	printf("%s--- bookmark %s", indent, b->name);
	if (b->tid)
		printf(" (set by task %d)", b->tid);
	putchar('\n');
}

void cli_bookmarks_at(scribe_trace *tr, uint32_t stream, uint64_t from, uint64_t to)
{
	int n = scribe_trace_bookmarks(tr);
	for (int i = 0; i < n; i++) {
		struct scribe_bookmark b;
		if (!get(tr, i, &b))
			continue;
		for (uint32_t j = 0; j < b.npos; j++)
			if (b.streams[j] == stream && b.stream_index[j] >= from &&
			    b.stream_index[j] <= to)
				line(&b, "       ");
	}
}

int cli_bookmarks_info(const char *dir)
{
	scribe_trace *tr;
	int rc = scribe_trace_open(dir, NULL, &tr);
	int n = rc == SCRIBE_OK ? scribe_trace_bookmarks(tr) : rc;
	if (n < 0) {
		fprintf(stderr, "scribe: %s\n", scribe_trace_error(tr));
		scribe_trace_close(tr);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct scribe_bookmark b;
		if (!get(tr, i, &b))
			continue;
		printf("%s%s", i ? "            " : "bookmarks:  ", b.name);
		if (b.tid)
			printf(" (set by task %d)", b.tid);
		printf(" at");
		for (uint32_t j = 0; j < b.npos; j++)
			printf(" %u:%" PRIu64, b.streams[j], b.stream_index[j]);
		putchar('\n');
	}
	scribe_trace_close(tr);
	return 0;
}
