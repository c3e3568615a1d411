/* replay_live.c -- `scribe replay --go-live-at WHERE`: replay to a point,
 * then let the program run on live (issue 18), through the public API
 * (include/scribe.h) like any other client. */
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "scribe.h"
#include "cli/cli.h"
#include "core/util.h"

/* The last event of stream 0 (the first process's domain). */
static int64_t last_index(const char *dir)
{
	scribe_trace *tr = NULL;
	if (scribe_trace_open(dir, NULL, &tr) != SCRIBE_OK) {
		err_set("%s", tr ? scribe_trace_error(tr) : "out of memory");
		scribe_trace_close(tr);
		return -1;
	}
	int64_t last = -1;
	struct scribe_event evs[64];
	int n;
	while ((n = scribe_trace_next(tr, evs, 64)) > 0)
		for (int i = 0; i < n; i++)
			if (evs[i].stream == 0 && evs[i].kind != SCRIBE_EV_STREAM &&
			    !(evs[i].flags & SCRIBE_EVF_BUFFERED))
				last = (int64_t)evs[i].stream_index;
	if (n < 0)
		err_set("%s", scribe_trace_error(tr));
	scribe_trace_close(tr);
	return n < 0 ? -1 : last;
}

/* WHERE as (stream, index): N is event N of stream 0 as `scribe dump`
 * numbers it, D:N event N of domain D; "end" the last event of stream 0.
 * bookmark:NAME is run to by name (every process parked at its place in
 * it), 0 here.  -1 with a message. */
static int64_t where_index(const char *dir, const char *where, uint32_t *stream)
{
	*stream = 0;
	if (!strncmp(where, "bookmark:", 9))
		return 0;
	if (!strcmp(where, "end"))
		return last_index(dir);
	char *end;
	errno = 0;
	long long n = strtoll(where, &end, 10);
	if (!errno && *end == ':' && n >= 0 && n <= UINT32_MAX) {
		*stream = (uint32_t)n;
		where = end + 1;
		n = strtoll(where, &end, 10);
	}
	if (errno || end == where || *end || n < 0) {
		err_set("--go-live-at: '%s' is not an event number, bookmark:NAME or end", where);
		return -1;
	}
	return n;
}

int replay_go_live(const char *dir, const char *where, bool force)
{
	uint32_t stream;
	int64_t at = where_index(dir, where, &stream);
	if (at < 0) {
		err_print();
		return EXIT_SCRIBE;
	}
	scribe_replay *r = NULL;
	struct scribe_replay_opts ro = { .size = sizeof(ro), .flags = SCRIBE_REPLAY_LIVE };
	if (scribe_replay_open(dir, &ro, &r) != SCRIBE_OK) {
		fprintf(stderr, "scribe: %s\n", r ? scribe_replay_error(r) : "out of memory");
		scribe_replay_close(r);
		return EXIT_SCRIBE;
	}
	struct scribe_until until = { .size = sizeof(until), .what = SCRIBE_UNTIL_EVENT,
	                              .stream = stream, .stream_index = (uint64_t)at };
	if (!strncmp(where, "bookmark:", 9)) {
		until.what = SCRIBE_UNTIL_BOOKMARK;
		until.bookmark = where + 9;
	}
	struct scribe_stop stop = { .size = sizeof(stop) };
	int rc = scribe_replay_run(r, &until, &stop);
	if (rc == SCRIBE_OK && stop.reason == SCRIBE_STOP_ENDED) {
		/* the program ended before that point: nothing to go live */
		fprintf(stderr, "scribe: the program ended before %s %s; not going live\n",
		        until.bookmark ? "bookmark" : "event", until.bookmark ? until.bookmark : where);
		scribe_replay_close(r);
		exit_like(stop.status);
	}
	if (rc != SCRIBE_OK || stop.reason != SCRIBE_STOP_MATCH) {
		fprintf(stderr, "scribe: %s\n", stop.message ? stop.message : scribe_replay_error(r));
		scribe_replay_close(r);
		return EXIT_SCRIBE;
	}
	int32_t pid = 0;
	rc = scribe_replay_go_live(r, force ? SCRIBE_LIVE_FORCE : 0, &pid);
	if (rc != SCRIBE_OK) {
		fprintf(stderr, "scribe: %s\n", scribe_replay_error(r));
		scribe_replay_close(r);
		return EXIT_SCRIBE;
	}
	if (*scribe_replay_error(r))
		fprintf(stderr, "scribe: %s\n", scribe_replay_error(r));
	scribe_replay_close(r);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "scribe: cannot wait for the live program: %s\n",
			        strerror(errno));
			return EXIT_SCRIBE;
		}
	}
	exit_like(status);
}
