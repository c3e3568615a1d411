/* cmd_info.c -- `scribe info`: summarize a recording. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>

#include "cli/cli.h"
#include "core/cpu.h"
#include "core/sig.h"
#include "core/store.h"
#include "core/util.h"
#include "trace/trace.h"

static const char usage[] =
"Usage: scribe info [--events] [TRACE]\n"
"\n"
"Summarize a recording: the command, when it ran and for how long, how it\n"
"ended, how many events and tasks it holds, its size, the CPU and kernel it\n"
"was recorded on, and any warnings recorded with it.  The event streams are\n"
"read and checked, so a damaged trace is reported here.\n"
"\n"
"Options:\n"
"  --events     print only the number of events (for scripts)\n"
"  -h, --help   show this help\n"
"\n"
"TRACE defaults to the latest recording.  Exit status: 0, or 125 if the\n"
"trace is missing or damaged.\n";

/* Count the events of every stream, checking each chunk on the way. */
static int count_events(const char *dir, uint64_t *events, uint64_t *bytes, int *nstreams,
                        bool *truncated)
{
	uint32_t *doms;
	int n = trace_streams(dir, &doms);
	*events = *bytes = 0;
	*nstreams = n;
	*truncated = false;
	int rc = n > 0 ? 0 : -1;
	if (n == 0)
		err_set("%s has no event stream (corrupt trace)", dir);
	for (int i = 0; i < n && rc == 0; i++) {
		struct trc_reader *rd = trc_reader_open(dir, doms[i], true);
		if (!rd) {
			rc = -1;
			break;
		}
		const uint8_t *p;
		size_t len;
		uint64_t idx;
		enum trc_read_status st;
		while ((st = trc_reader_next(rd, &p, &len, &idx)) == TRC_OK)
			(*events)++;
		if (st == TRC_CORRUPT)
			rc = -1;
		if (st == TRC_TRUNCATED)
			*truncated = true;
		trc_reader_close(rd);
		char *path = xasprintf("%s/events.%u", dir, doms[i]);
		struct stat sb;
		if (stat(path, &sb) == 0)
			*bytes += sb.st_size;
		free(path);
	}
	free(doms);
	return rc;
}


static void print_size(uint64_t b);

/* "objects: N (SIZE), packed in the trace" or "... in STORE; not packed" */
static void print_objects(const char *dir, const struct trc_header *h)
{
	char *own = trace_store();
	char *objdir = store_find(dir, h->packed, h->store, own);
	uint64_t *v = NULL, bytes = 0;
	size_t n = 0, missing = 0;
	store_list_read(dir, &v, &n);
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%016llx", objdir, (unsigned long long)v[i]);
		struct stat st;
		if (stat(p, &st) == 0)
			bytes += st.st_size;
		else
			missing++;
		free(p);
	}
	printf("objects:    %zu (", n);
	print_size(bytes);
	if (h->packed)
		printf("), packed in the trace");
	else
		printf(") in %s; not packed", objdir);
	if (missing)
		printf("; %zu missing", missing);
	putchar('\n');
	free(v);
	free(objdir);
	free(own);
}

static void print_size(uint64_t b)
{
	if (b < 1024)
		printf("%llu bytes", (unsigned long long)b);
	else if (b < 1ull << 20)
		printf("%.1f KiB", b / 1024.0);
	else if (b < 1ull << 30)
		printf("%.1f MiB", b / 1048576.0);
	else
		printf("%.1f GiB", b / 1073741824.0);
}

struct pnode {
	long pid, ppid;
	char status[32];
	const char *cmd;
};

/* " ignored INT QUIT" (bit N-1: signal N) */
static void print_sigset(const char *what, uint64_t bits)
{
	printf(" %s", what);
	if (!bits)
		printf(" none");
	for (int sig = 1; sig <= 64; sig++) {
		const char *name = sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;
		if (!(bits >> (sig - 1) & 1))
			continue;
		if (name)
			printf(" %s", name);
		else
			printf(" %d", sig);
	}
}

static void print_subtree(struct pnode *v, int n, long ppid, int depth, int *shown)
{
	for (int i = 0; i < n; i++) {
		if (v[i].ppid != ppid || v[i].pid == ppid)
			continue;
		if (++*shown > 200) {
			if (*shown == 201)
				printf("              ... (more processes)\n");
			continue;
		}
		printf("            %*s%ld %s: %s\n", depth * 2, "", v[i].pid, v[i].status, v[i].cmd);
		print_subtree(v, n, v[i].pid, depth + 1, shown);
	}
}

/* The process tree recorded in the header (HDR_TREE), indented. */
static void print_tree(const struct trc_header *h)
{
	if (!h->tree_len)
		return;
	int n = 0;
	struct pnode *v = NULL;
	for (size_t i = 0; i < h->tree_len; i += strlen(h->tree + i) + 1) {
		struct pnode p = {0};
		int off = 0;
		if (sscanf(h->tree + i, "%ld %ld %31s %n", &p.pid, &p.ppid, p.status, &off) < 3)
			continue;
		p.cmd = h->tree + i + off;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = p;
	}
	printf("processes:  %d\n", n);
	int shown = 0;
	/* Roots: processes whose parent is not in the recording. */
	for (int i = 0; i < n; i++) {
		bool has_parent = false;
		for (int k = 0; k < n && !has_parent; k++)
			has_parent = v[k].pid == v[i].ppid && k != i;
		if (!has_parent) {
			printf("            %ld %s: %s\n", v[i].pid, v[i].status, v[i].cmd);
			print_subtree(v, n, v[i].pid, 1, &shown);
		}
	}
	free(v);
}

void print_status(int status)
{
	if (WIFEXITED(status))
		printf("exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("killed by %s%s", sig_name(WTERMSIG(status)),
		       WCOREDUMP(status) ? " (core dumped)" : "");
	else
		printf("status %#x", status);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events", no_argument, 0, 'e' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	bool only_events = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'e': only_events = true; break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("info", c, argv);
		}
	}
	if (argc - optind > 1)
		return usage_error("info", "too many arguments");
	struct trc_header h;
	char *dir = trace_open_arg(optind < argc ? argv[optind] : NULL, &h);
	if (!dir)
		return EXIT_SCRIBE;
	uint64_t events, bytes;
	int nstreams;
	bool truncated;
	int rc = count_events(dir, &events, &bytes, &nstreams, &truncated), rc2 = 0;
	/* Cut short, a stream of a recording that completed is damaged (one
	 * that was interrupted may end so: it is only incomplete). */
	if (rc == 0 && truncated && h.complete) {
		err_set("%s: an event stream is cut short, though the recording completed "
		        "(corrupt trace)", dir);
		rc = -1;
	}
	if (only_events) {
		if (rc < 0) {
			err_print();
			return EXIT_SCRIBE;
		}
		printf("%llu\n", (unsigned long long)events);
		return 0;
	}
	printf("trace:      %s\n", dir);
	printf("format:     version %u (recorded by scribe %s)\n", h.version,
	       h.scribe_version ? h.scribe_version : "?");
	printf("command:   ");
	for (int i = 0; i < h.argc; i++)
		printf(" %s", h.argv[i]);
	printf("\nprogram:    %s\n", h.exe ? h.exe : "?");
	printf("cwd:        %s\n", h.cwd ? h.cwd : "?");
	char when[64];
	time_t t = h.start_ns / 1000000000ull;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime(&t));
	printf("started:    %s\n", when);
	if (h.complete) {
		printf("duration:   %.3f s\n", (h.end_ns - h.start_ns) / 1e9);
		printf("status:     ");
		print_status(h.status);
		putchar('\n');
	} else {
		printf("status:     incomplete: the recording was interrupted\n");
	}
	printf("events:     %llu in %d stream%s%s\n", (unsigned long long)events, nstreams,
	       nstreams == 1 ? "" : "s", truncated ? " (the last chunk is cut short)" : "");
	if (h.complete)
		printf("tasks:      %u in %u memory domain%s\n", h.ntasks, h.ndomains,
		       h.ndomains == 1 ? "" : "s");
	print_tree(&h);
	if (h.chaos)
		printf("chaos:      seed %llu (record --chaos=%llu)\n",
		       (unsigned long long)h.chaos_seed, (unsigned long long)h.chaos_seed);
	printf("size:       ");
	print_size(bytes);
	printf(" of events\n");
	print_objects(dir, &h);
	printf("cpu:        %s%s\n", h.cpu ? h.cpu : "?",
	       h.cpu && strcmp(h.cpu, cpu_signature()) ? " (differs from this machine's)" : "");
	printf("kernel:     %s on %s\n", h.kernel ? h.kernel : "?", h.host ? h.host : "?");
	if (h.has_signals && (h.sig_ignored || h.sig_blocked)) {
		printf("signals:   ");
		print_sigset("ignored", h.sig_ignored);
		putchar(';');
		print_sigset("blocked", h.sig_blocked);
		putchar('\n');
	}
	if (h.warnings_len) {
		printf("warnings:   not fully supported:");
		for (size_t i = 0; i < h.warnings_len; i += strlen(h.warnings + i) + 1)
			printf(" %s", h.warnings + i);
		putchar('\n');
	}
	if (rc == 0 && cli_bookmarks_info(dir) < 0)   /* (after count_events' message) */
		rc2 = -1;
	trc_header_free(&h);
	free(dir);
	if (rc2 < 0 && rc == 0)
		return EXIT_SCRIBE;     /* its message is out */
	if (rc < 0) {
		err_print();
		return EXIT_SCRIBE;
	}
	return 0;
}
