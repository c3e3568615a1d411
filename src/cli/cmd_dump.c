/* cmd_dump.c -- `scribe dump`: list a recording's events, strace-style; a
 * printer over libscribe's event iterator (include/scribe.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "lib/lib_int.h"
#include "scribe.h"

static const char usage[] =
"Usage: scribe dump [-d DOMAIN] [TRACE]\n"
"\n"
"Print every event of a recording, one per line, in the order it happened\n"
"within its memory domain: system calls with decoded arguments and\n"
"results, signals and where they were delivered, rdtsc values, execs and\n"
"task exits.  Each line starts with the event's number in its stream and\n"
"the recorded thread id.\n"
"\n"
"Options:\n"
"  -d, --domain N   only the stream of memory domain N\n"
"  -h, --help       show this help\n"
"\n"
"TRACE defaults to the latest recording.  Exit status: 0, or 125 if the\n"
"trace is missing, corrupt or ends early (the events before the damage are\n"
"printed first).\n";

/* Stream numbers present in DIR, sorted. */
int trace_streams(const char *dir, uint32_t **out)
{
	return lib_streams(dir, out);
}

/* Print every event libscribe hands out; 0, or -1 after its message. */
static int dump_events(scribe_trace *tr, bool banners)
{
	struct scribe_event evs[64];
	int n;
	bool in = false;           /* a stream is being printed: */
	uint32_t stream = 0;       /* ... this one, */
	uint64_t next = 0;         /* ... its bookmarks from here on to show */
	while ((n = scribe_trace_next(tr, evs, ARRAY_SIZE(evs))) > 0) {
		for (int i = 0; i < n; i++) {
			const struct scribe_event *e = &evs[i];
			if (e->kind == SCRIBE_EV_STREAM) {
				if (in)        /* bookmarks after its last event */
					cli_bookmarks_at(tr, stream, next, UINT64_MAX);
				in = true;
				stream = e->stream;
				next = 0;
				if (banners)
					printf("=== domain %u ===\n", e->stream);
			} else if (!(e->flags & SCRIBE_EVF_BUFFERED)) {
				cli_bookmarks_at(tr, e->stream, next, e->stream_index);
				next = e->stream_index + 1;
				printf("%6llu [%d] %s\n", (unsigned long long)e->stream_index, e->tid,
				       e->text);
			}
		}
	}
	if (n == 0 && in)
		cli_bookmarks_at(tr, stream, next, UINT64_MAX);
	if (n == 0)
		return 0;
	fflush(stdout);
	fprintf(stderr, "scribe: %s\n", scribe_trace_error(tr));
	return -1;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "domain", required_argument, 0, 'd' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	long only = -1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': only = strtol(optarg, NULL, 10); break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("dump", c, argv);
		}
	}
	if (argc - optind > 1)
		return usage_error("dump", "too many arguments");
	char *dir = trace_resolve(optind < argc ? argv[optind] : NULL);
	if (!dir) {
		err_print();
		return EXIT_SCRIBE;
	}
	/* the buffered calls come in their batch's text */
	struct scribe_open_opts o = { sizeof(o), SCRIBE_OPEN_TEXT | SCRIBE_OPEN_STREAMS, 0, 0,
	                              only < 0 ? -1 : (int32_t)only };
	scribe_trace *tr;
	int rc = scribe_trace_open(dir, &o, &tr);
	if (rc < 0)
		fprintf(stderr, "scribe: %s\n", scribe_trace_error(tr));
	else {
		struct scribe_info info = { .size = sizeof(info) };
		scribe_trace_info(tr, &info);
		rc = dump_events(tr, only < 0 && info.nstreams > 1);
	}
	scribe_trace_close(tr);
	free(dir);
	return rc < 0 ? EXIT_SCRIBE : 0;
}
