/* cmd_dump.c -- `scribe dump`: list a recording's events, strace-style. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "syscalls/decode.h"
#include "trace/event.h"
#include "trace/trace.h"

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
	DIR *d = opendir(dir);
	int n = 0, cap = 8;
	uint32_t *v = xmalloc(cap * sizeof(*v));
	for (struct dirent *e; d && (e = readdir(d));) {
		char *end;
		if (strncmp(e->d_name, "events.", 7))
			continue;
		unsigned long k = strtoul(e->d_name + 7, &end, 10);
		if (*end || end == e->d_name + 7)
			continue;
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = k;
	}
	if (d)
		closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint32_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

static int dump_stream(const char *dir, const struct trc_header *h, uint32_t dom, bool banner,
                       uint64_t *nevents)
{
	struct trc_reader *rd = trc_reader_open(dir, dom, true);
	if (!rd) {
		err_print();
		return -1;
	}
	if (banner)
		printf("=== domain %u ===\n", dom);
	int rc = 0;
	for (;;) {
		const uint8_t *p;
		size_t len;
		uint64_t idx;
		enum trc_read_status st = trc_reader_next(rd, &p, &len, &idx);
		if (st == TRC_END)
			break;
		if (st == TRC_TRUNCATED) {
			fflush(stdout);
			fprintf(stderr, "scribe: trace ends early at event %llu: %s\n",
			        (unsigned long long)trc_reader_position(rd), trc_end_reason(h));
			rc = -1;
			break;
		}
		if (st == TRC_CORRUPT) {
			fflush(stdout);
			err_print();
			rc = -1;
			break;
		}
		struct event ev;
		if (ev_decode(p, len, &ev) < 0) {
			fflush(stdout);
			fprintf(stderr, "scribe: event %llu: %s\n", (unsigned long long)idx, err_get());
			rc = -1;
			break;
		}
		if (nevents)
			*nevents = idx + 1;
		printf("%6llu [%u] ", (unsigned long long)idx, ev.tid);
		ev_print(stdout, &ev);
		putchar('\n');
		ev_clear(&ev);
	}
	trc_reader_close(rd);
	return rc;
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
	struct trc_header h;
	char *dir = trace_open_arg(optind < argc ? argv[optind] : NULL, &h);
	if (!dir)
		return EXIT_SCRIBE;
	uint32_t *doms;
	int n = trace_streams(dir, &doms);
	int rc = 0;
	if (n == 0) {
		fprintf(stderr, "scribe: %s has no event stream (corrupt trace)\n", dir);
		rc = -1;
	}
	uint64_t first_events = 0;
	for (int i = 0; i < n && rc == 0; i++)
		if (only < 0 || (uint32_t)only == doms[i])
			rc = dump_stream(dir, &h, doms[i], n > 1 && only < 0,
			                 i == 0 ? &first_events : NULL);
	for (int i = 0; i < n && rc == 0 && h.complete; i++) {
		/* A complete recording knows how many events each stream has:
		 * a stream cut at a chunk boundary still reads cleanly. */
		uint32_t d = doms[i];
		if ((only >= 0 && (uint32_t)only != d) || d >= h.n_stream_events)
			continue;
		uint64_t have = 0;
		struct trc_reader *rd = trc_reader_open(dir, d, true);
		const uint8_t *p;
		size_t len;
		uint64_t idx;
		while (rd && trc_reader_next(rd, &p, &len, &idx) == TRC_OK)
			have++;
		trc_reader_close(rd);
		if (have < h.stream_events[d]) {
			fflush(stdout);
			fprintf(stderr, "scribe: trace ends early at event %llu of domain %u: %s\n",
			        (unsigned long long)have, d, trc_end_reason(&h));
			rc = -1;
		}
	}
	if (rc == 0 && !h.complete) {
		/* Every chunk is intact, but the recorder never finished. */
		fflush(stdout);
		fprintf(stderr, "scribe: trace ends early at event %llu: %s\n",
		        (unsigned long long)first_events, trc_end_reason(&h));
		rc = -1;
	}
	trc_header_free(&h);
	free(doms);
	free(dir);
	return rc < 0 ? EXIT_SCRIBE : 0;
}
