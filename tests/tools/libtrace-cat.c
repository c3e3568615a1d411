/* libtrace-cat.c -- a client of libscribe's public API (include/scribe.h
 * only, linked to build/libscribe.so), for tests/cases/libtrace-*.sh.
 *
 *   libtrace-cat list TRACE [KIND [TID]]  one line per event:
 *       INDEX STREAM:STREAM_INDEX[.SUB] PID TID KIND NAME RESULT [DATA-HEX]
 *   libtrace-cat info TRACE                  key=value lines of the header
 *   libtrace-cat set TRACE OUT S:I[.SUB] RESULT [HEX]
 *   libtrace-cat drop TRACE OUT S:I[.SUB]
 *   libtrace-cat cut TRACE OUT S:I[.SUB]
 *   libtrace-cat reorder TRACE OUT S:I S:I
 *
 * Exit status: 0, or 125 with the library's message on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scribe.h"

static int fail(const char *what, const char *msg)
{
	fprintf(stderr, "libtrace-cat: %s: %s\n", what, msg);
	return 125;
}

static const char *kind_name(uint32_t k)
{
	static const char *const n[] = { "?", "exec", "syscall", "signal", "rdtsc", "exit",
	                                 "task", "switch", "preempt", "join", "release",
	                                 "buffer" };
	return k < sizeof(n) / sizeof(n[0]) ? n[k] : "?";
}

static uint32_t kind_of(const char *s)
{
	for (uint32_t k = 1; k <= SCRIBE_EV_BUFFER; k++)
		if (!strcmp(kind_name(k), s))
			return k;
	return 0;
}

static int list(const char *path, const char *kind, const char *tid)
{
	struct scribe_open_opts o = { sizeof(o), 0, 0, 0, -1 };
	if (kind && strcmp(kind, "all"))
		o.kinds = SCRIBE_KIND_BIT(kind_of(kind));
	if (tid)
		o.tid = atoi(tid);
	scribe_trace *tr;
	if (scribe_trace_open(path, &o, &tr) < 0) {
		int rc = fail(path, scribe_trace_error(tr));
		scribe_trace_close(tr);
		return rc;
	}
	struct scribe_event ev[16];
	int n;
	while ((n = scribe_trace_next(tr, ev, 16)) > 0)
		for (int i = 0; i < n; i++) {
			const struct scribe_event *e = &ev[i];
			printf("%llu %u:%llu.%u %d %d %s %s %lld", (unsigned long long)e->index,
			       e->stream, (unsigned long long)e->stream_index, e->sub, e->pid,
			       e->tid, kind_name(e->kind), e->name, (long long)e->result);
			if (e->data) {
				putchar(' ');
				for (size_t k = 0; k < e->data_len && k < 64; k++)
					printf("%02x", e->data[k]);
			}
			putchar('\n');
		}
	int rc = n < 0 ? fail(path, scribe_trace_error(tr)) : 0;
	scribe_trace_close(tr);
	return rc;
}

static int info(const char *path)
{
	scribe_trace *tr;
	struct scribe_info i = { .size = sizeof(i) };
	if (scribe_trace_open(path, NULL, &tr) < 0 || scribe_trace_info(tr, &i) < 0) {
		int rc = fail(path, scribe_trace_error(tr));
		scribe_trace_close(tr);
		return rc;
	}
	printf("api=%d\nargv0=%s\ncomplete=%d\nevents=%llu\nstreams=%u\n", scribe_api_version(),
	       i.argc ? i.argv[0] : "", i.complete, (unsigned long long)i.events, i.nstreams);
	scribe_trace_close(tr);
	return 0;
}

static int edit(int argc, char **argv)
{
	unsigned s, sub = 0;
	unsigned long long idx;
	if (argc < 5 || sscanf(argv[4], "%u:%llu.%u", &s, &idx, &sub) < 2)
		return fail("usage", "libtrace-cat set|drop|cut|reorder TRACE OUT S:I[.SUB] ...");
	scribe_edit *ed;
	int rc = scribe_edit_open(argv[2], &ed);
	if (rc == 0 && !strcmp(argv[1], "drop"))
		rc = scribe_edit_drop(ed, s, idx, sub);
	else if (rc == 0 && !strcmp(argv[1], "cut"))
		rc = scribe_edit_cut(ed, s, idx, sub);
	else if (rc == 0 && !strcmp(argv[1], "reorder")) {
		unsigned s2;
		unsigned long long idx2;
		if (argc < 6 || sscanf(argv[5], "%u:%llu", &s2, &idx2) != 2)
			rc = fail("usage", "libtrace-cat reorder TRACE OUT S:I S:I");
		else
			rc = scribe_edit_reorder(ed, s, idx, s2, idx2);
	}
	else if (rc == 0 && argc > 5) {
		unsigned char data[4096];
		size_t n = 0;
		const char *hex = argc > 6 ? argv[6] : NULL;
		for (; hex && hex[2 * n] && n < sizeof(data); n++)
			sscanf(hex + 2 * n, "%2hhx", &data[n]);
		rc = scribe_edit_set_result(ed, s, idx, sub, atoll(argv[5]), hex ? data : NULL, n);
	}
	if (rc == 0)
		rc = scribe_edit_save(ed, argv[3]);
	if (rc == 125)
		;
	else if (rc < 0)
		rc = fail(argv[2], scribe_edit_error(ed));
	scribe_edit_close(ed);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "list"))
		return list(argv[2], argc > 3 ? argv[3] : NULL, argc > 4 ? argv[4] : NULL);
	if (argc >= 3 && !strcmp(argv[1], "info"))
		return info(argv[2]);
	if (argc >= 5)
		return edit(argc, argv);
	return fail("usage", "libtrace-cat list|info|set|drop|cut TRACE ...");
}
