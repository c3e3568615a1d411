/* bookmark-client: a program of libscribe's bookmark API, built against
 * include/scribe.h and build/libscribe.so only (tests/cases/bookmark.asan.sh).
 *
 *   bookmark-client TRACE NAME   list the trace's bookmarks ("bookmark
 *                                NAME tid=T stream=S at S:I..."), run a
 *                                replay to NAME ("stop reason=R stream=S
 *                                index=I tid=T kind=K nr=N", then one
 *                                "task tid=T stream=S state=X" per task),
 *                                then to the end ("status=N")
 *   bookmark-client TRACE -      the same list; then a run with a struct
 *                                scribe_until of API 2's size (no
 *                                `bookmark` member) to the first syscall,
 *                                which must still work ("api2 stop ...")
 *
 * Failures print "bookmark-client: ..." and exit 125. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scribe.h"

static scribe_replay *rp;

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bookmark-client: %s: %s\n", what, msg);
	exit(125);
}

static void output(void *ctx, int fd, const void *data, size_t len)
{
	(void)ctx;
	(void)fd;
	(void)data;
	(void)len;
}

static void print_stop(const char *what, const struct scribe_stop *st)
{
	printf("%s reason=%d stream=%u index=%llu tid=%d kind=%u nr=%d\n", what, st->reason,
	       st->stream, (unsigned long long)st->stream_index, st->tid, st->kind, st->nr);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage", "bookmark-client TRACE NAME|-");
	scribe_trace *tr;
	if (scribe_trace_open(argv[1], NULL, &tr) != SCRIBE_OK)
		die("open", scribe_trace_error(tr));
	int n = scribe_trace_bookmarks(tr);
	if (n < 0)
		die("bookmarks", scribe_trace_error(tr));
	for (int i = 0; i < n; i++) {
		struct scribe_bookmark b = { .size = sizeof(b) };
		if (scribe_trace_bookmark(tr, (uint32_t)i, &b) != SCRIBE_OK)
			die("bookmark", scribe_trace_error(tr));
		printf("bookmark %s tid=%d stream=%u at", b.name, b.tid, b.stream);
		for (uint32_t j = 0; j < b.npos; j++)
			printf(" %u:%llu", b.streams[j], (unsigned long long)b.stream_index[j]);
		printf("\n");
	}
	struct scribe_bookmark none = { .size = sizeof(none) };
	if (scribe_trace_bookmark(tr, (uint32_t)n, &none) != SCRIBE_E_ARG)
		die("bookmark past the end", "accepted");
	scribe_trace_close(tr);

	struct scribe_replay_opts o = { .size = sizeof(o), .output = output };
	if (scribe_replay_open(argv[1], &o, &rp) != SCRIBE_OK)
		die("replay", scribe_replay_error(rp));
	struct scribe_stop st = { .size = sizeof(st) };
	if (strcmp(argv[2], "-")) {
		struct scribe_until u = { .size = sizeof(u), .what = SCRIBE_UNTIL_BOOKMARK,
		                          .bookmark = argv[2] };
		if (scribe_replay_run(rp, &u, &st) != SCRIBE_OK)
			die("run to the bookmark", scribe_replay_error(rp));
		print_stop("stop", &st);
		struct scribe_task t[16];
		int k = scribe_replay_tasks(rp, t, 16);
		for (int i = 0; i < k && i < 16; i++)
			printf("task tid=%d stream=%u state=%d\n", t[i].tid, t[i].stream, t[i].state);
	} else {
		struct scribe_until u = { .size = offsetof(struct scribe_until, bookmark),
		                          .what = SCRIBE_UNTIL_KINDS,
		                          .kinds = SCRIBE_KIND_BIT(SCRIBE_EV_SYSCALL) };
		if (scribe_replay_run(rp, &u, &st) != SCRIBE_OK)
			die("run with API 2's struct", scribe_replay_error(rp));
		print_stop("api2 stop", &st);
	}
	if (scribe_replay_run(rp, NULL, &st) != SCRIBE_OK)
		die("run to the end", scribe_replay_error(rp));
	printf("status=%d\n", st.status);
	scribe_replay_close(rp);
	return 0;
}
