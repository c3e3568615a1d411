/* tracedir.c -- turning a TRACE argument into a directory (where traces
 * live, PROG-N names and `latest`: core/tracedir.c). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/store.h"
#include "core/util.h"
#include "trace/trace.h"

char *trace_resolve(const char *arg)
{
	char *root = trace_root();
	char *dir;
	if (!arg) {
		dir = xasprintf("%s/latest", root);
		char target[PATH_MAX];
		ssize_t n = readlink(dir, target, sizeof(target) - 1);
		if (n > 0 && access(dir, F_OK) < 0) {
			target[n] = 0;
			err_set("the latest recording, %s/%s, no longer exists; name a TRACE "
			        "(see 'scribe ls')", root, target);
			free(dir);
			free(root);
			return NULL;
		}
		if (access(dir, F_OK) < 0) {
			err_set("no trace to use: nothing recorded yet under %s "
			        "(record one with 'scribe record PROG', or name a TRACE)", root);
			free(dir);
			free(root);
			return NULL;
		}
	} else if (strchr(arg, '/') || access(arg, F_OK) == 0) {
		dir = xstrdup(arg);
	} else {
		dir = xasprintf("%s/%s", root, arg);
	}
	free(root);
	struct stat st;
	if (stat(dir, &st) < 0) {
		err_set("no trace at %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode) || !trc_is_trace(dir)) {
		err_set("%s is not a scribe trace (no header file)", dir);
		free(dir);
		return NULL;
	}
	char *real = realpath(dir, NULL);
	if (real) {
		free(dir);
		dir = real;
	}
	return dir;
}

char *trace_open_arg(const char *arg, struct trc_header *h)
{
	char *dir = trace_resolve(arg);
	if (!dir) {
		err_print();
		return NULL;
	}
	if (trc_header_read(dir, h) < 0) {
		err_print();
		free(dir);
		return NULL;
	}
	return dir;
}
