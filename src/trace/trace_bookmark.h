/* trace_bookmark.h -- a trace's bookmarks: named positions taken while it
 * was recorded (`scribe bookmark`, or the program itself), kept in the
 * trace directory's `bookmarks` file.
 *
 * A bookmark is a point in every event stream at once: for each stream
 * that existed when it was taken, the number of events that stream held
 * then (the bookmark sits before event `index` of stream `stream`).
 * Streams are recorded in parallel, so this is a cut across them, not
 * an instant: each stream's events before its position had happened,
 * the later ones had not yet been logged.  A program's own bookmark
 * (tid != 0) is exact in its task's stream, before the call that set it.
 * The recorder adjusts the cut for creations (record/record_bookmark.c,
 * make_cut): streams it lists are those replay can reach together. 
 *
 * File format (docs/trace-format.md), one line per bookmark, appended:
 *
 *   NAME TIME_NS TID STREAM POS...      POS = S:I (stream S, index I)
 *
 * TID is the recorded tid of the task that set it (0: from outside),
 * STREAM that task's stream.  A last line without its newline (the
 * recorder was killed while writing it) is ignored. */
#ifndef SCRIBE_TRACE_BOOKMARK_H
#define SCRIBE_TRACE_BOOKMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRC_BOOKMARKS      "bookmarks"
/* While a recording runs: its control socket (record/record_bookmark.c) */
#define TRC_CONTROL        "control"
/* A path call on TRC_BOOKMARK_PATH "NAME" bookmarks the calling program */
#define TRC_BOOKMARK_PATH  "/dev/scribe/bookmark/"
#define TRC_BOOKMARK_MAX   64          /* longest name */

struct trc_bookmark {
	char *name;
	uint64_t time_ns;          /* realtime when it was taken */
	uint32_t tid;              /* set by this task (0: from outside) */
	uint32_t stream;           /* ... whose stream this is */
	uint32_t npos;
	uint32_t *streams;         /* npos streams, ascending */
	uint64_t *index;           /* ... and their positions */
};

/* Is this a valid bookmark name: 1..TRC_BOOKMARK_MAX of [A-Za-z0-9._-],
 * not starting with '-' or '.'?  If not, err_set says why. */
bool trc_bookmark_name_ok(const char *name);
/* Append one line to DIR/bookmarks.  -1 with err_set on failure. */
int trc_bookmark_append(const char *dir, const struct trc_bookmark *b);
/* Read every bookmark of DIR (none if it has no bookmarks file: traces
 * of scribe 0.5.0 and older).  -1 with err_set if the file is damaged. */
int trc_bookmarks_read(const char *dir, struct trc_bookmark **out, size_t *n);
/* The same, from the file's bytes (NUL-terminated, len long). */
int trc_bookmarks_parse(const char *text, size_t len, struct trc_bookmark **out, size_t *n);
void trc_bookmarks_free(struct trc_bookmark *v, size_t n);
/* The position of `stream` in b: its index, or 0 when b does not list it
 * (the stream had no events yet). */
uint64_t trc_bookmark_pos(const struct trc_bookmark *b, uint32_t stream);

#endif
