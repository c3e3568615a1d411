/* lib_int.h -- libscribe's handles as the library sees them (include/
 * scribe.h is the public side). */
#ifndef SCRIBE_LIB_INT_H
#define SCRIBE_LIB_INT_H

#ifndef SCRIBE_BUILDING_LIBRARY     /* scribe.h: export the API */
#define SCRIBE_BUILDING_LIBRARY 1
#endif
#include "scribe.h"

#include <stdbool.h>
#include <stdio.h>

#include "trace/event.h"
#include "trace/trace.h"

#define LIB_ERRLEN 1024

/* Memory handed out with one batch of events, freed at the next call. */
struct lib_pool {
	struct lib_block { void *p; bool event; } *v;
	size_t n, cap;
};
void *lib_pool_add(struct lib_pool *pl, void *p, bool event);
void lib_pool_clear(struct lib_pool *pl);

/* Recorded tid -> pid (thread group), learned from task events. */
struct lib_pids {
	uint32_t *tid, *pid;
	size_t n, cap;
};
int32_t lib_pid_of(const struct lib_pids *m, uint32_t tid);
void lib_pid_learn(struct lib_pids *m, const struct event *ev);

/* A buffered batch whose calls are being handed out one by one. */
struct lib_batch {
	bool live;
	uint8_t *raw;             /* the encoded EV_BUF event, owned */
	struct event ev;          /* decoded from raw */
	uint64_t off;             /* next record's offset in ev.buf.recs */
	uint32_t sub;             /* its 1-based position */
	uint64_t stream_index;
};

struct scribe_trace {
	char *dir;
	struct trc_header hdr;
	bool have_hdr;
	struct scribe_open_opts opts;
	char err[LIB_ERRLEN];
	int sticky;               /* error code once failed */
	bool done;
	uint32_t *streams;        /* stream numbers present, sorted */
	int nstreams, si;         /* si: the stream being read */
	bool *visited;            /* streams[i] was read to its end */
	uint64_t *have;           /* events read of streams[i] */
	struct trc_reader *rd;
	uint64_t global;          /* next global index */
	bool global_known;
	struct lib_batch batch;
	struct lib_pool pool;
	struct lib_pids pids;
	FILE *text;               /* renders scribe_event.text */
	char *textbuf;
	size_t textlen;
	/* scribe_trace_info's arrays */
	const char **argv, **env, **warnings;
	uint32_t nwarnings;
};

enum { ED_RESULT = 1, ED_DROP, ED_CUT, ED_OUTSEQ };

/* One edit, applied when the trace is saved (lib_save.c). */
struct lib_edit {
	int op;
	uint32_t stream, sub;
	uint64_t index;
	int64_t result;           /* ED_OUTSEQ: the new output number */
	uint8_t *data;            /* NULL: keep the data */
	size_t len;
};

struct scribe_edit {
	char *dir;
	struct trc_header hdr;
	char err[LIB_ERRLEN];
	struct lib_edit *edits;   /* in the order made */
	size_t nedits, cap;
};

/* Set the handle's message and return code (for the err[] of either). */
int lib_fail(char *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Same, with util.c's last message (err_get) as the text. */
int lib_fail_last(char *err, int code);

/* Stream numbers present in a trace directory, sorted (malloc'd). */
int lib_streams(const char *dir, uint32_t **out);

/* Fill a public event from a decoded one (strings into the pool). */
void lib_event_fill(scribe_trace *tr, const struct event *ev, struct scribe_event *out);
/* The next call of the batch, if any is left: 1 and *out filled, or 0. */
int lib_batch_next(scribe_trace *tr, struct scribe_event *out);
/* Is a buffered record a call the program made (not an SB_REC_* fact)? */
bool lib_rec_is_call(uint32_t nr);
/* Render an event (or one record) into the pool; NULL without TEXT. */
const char *lib_text_event(scribe_trace *tr, const struct event *ev);

/* A replay session's parts, for the files beside lib_replay.c. */
struct replayer;
struct replayer *lib_replay_rp(scribe_replay *r);
char *lib_replay_err(scribe_replay *r);
struct lib_pool *lib_replay_fds_pool(scribe_replay *r);

#endif
