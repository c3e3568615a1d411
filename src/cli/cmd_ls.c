/* cmd_ls.c -- `scribe ls`: list the recordings in the trace directory. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/util.h"
#include "trace/trace.h"

static const char usage[] =
"Usage: scribe ls\n"
"\n"
"List the recordings under $SCRIBE_DIR (default ~/.local/share/scribe),\n"
"oldest first: name, start time, how the program ended, event stream size\n"
"and command line.  The latest recording is marked with '*'.\n";

void print_status(int status);

struct row {
	char *name;
	struct trc_header h;
	bool ok;
};

static int by_start(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->h.start_ns != y->h.start_ns)
		return x->h.start_ns < y->h.start_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

int cmd_ls(int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		usage_print(usage, true);
		return 0;
	}
	if (argc > 1)
		return usage_error("ls", argv[1][0] == '-' ? "unknown option '%s'" :
		                   "unexpected argument '%s'", argv[1]);
	char *root = trace_root();
	DIR *d = opendir(root);
	if (!d) {
		printf("no recordings yet (%s does not exist)\n", root);
		free(root);
		return 0;
	}
	char latest[PATH_MAX] = "";
	char *link = xasprintf("%s/latest", root);
	ssize_t n = readlink(link, latest, sizeof(latest) - 1);
	latest[n > 0 ? n : 0] = 0;
	free(link);
	struct row *rows = NULL;
	int nrows = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "latest"))
			continue;
		char *dir = xasprintf("%s/%s", root, e->d_name);
		if (trc_is_trace(dir)) {
			rows = xrealloc(rows, (nrows + 1) * sizeof(*rows));
			struct row *r = &rows[nrows++];
			r->name = xstrdup(e->d_name);
			r->ok = trc_header_read(dir, &r->h) == 0;
		}
		free(dir);
	}
	closedir(d);
	qsort(rows, nrows, sizeof(*rows), by_start);
	if (nrows)
		printf("  %-20s %-19s %-18s %s\n", "TRACE", "STARTED", "STATUS", "COMMAND");
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		printf("%c %-20s ", strcmp(r->name, latest) ? ' ' : '*', r->name);
		if (!r->ok) {
			printf("%-19s %-18s\n", "?", "damaged header");
			free(r->name);
			continue;
		}
		char when[32];
		time_t t = r->h.start_ns / 1000000000ull;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		printf("%-19s ", when);
		char st[64];
		if (r->h.complete) {
			FILE *f = fmemopen(st, sizeof(st), "w");
			FILE *saved = stdout;
			stdout = f;
			print_status(r->h.status);
			stdout = saved;
			fclose(f);
		} else {
			snprintf(st, sizeof(st), "interrupted");
		}
		printf("%-18s", st);
		for (int k = 0; k < r->h.argc; k++)
			printf(" %s", r->h.argv[k]);
		putchar('\n');
		trc_header_free(&r->h);
		free(r->name);
	}
	if (!nrows)
		printf("no recordings yet under %s\n", root);
	free(rows);
	free(root);
	return 0;
}
