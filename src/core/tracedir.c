/* tracedir.c -- where traces live: the default directory ($SCRIBE_DIR),
 * PROG-N names, the `latest` link.  Shared by the CLI and libscribe's
 * recording sessions (a recording with no directory named). */
#include "core/tracedir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"
#include "core/util.h"

char *trace_root(void)
{
	const char *env = getenv("SCRIBE_DIR");
	if (env && *env)
		return xstrdup(env);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/scribe", home && *home ? home : "/tmp");
}

char *trace_store(void)
{
	char *root = trace_root();
	char *store = store_dir_of(root);
	free(root);
	return store;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

char *trace_new_dir(const char *prog)
{
	char *root = trace_root();
	if (mkdir_p(root) < 0) {
		err_set("cannot create the trace directory %s: %s", root, strerror(errno));
		free(root);
		return NULL;
	}
	const char *name = base_name(prog);
	size_t nl = strlen(name);
	long next = 0;
	DIR *d = opendir(root);
	for (struct dirent *e; d && (e = readdir(d));) {
		char *end;
		if (strncmp(e->d_name, name, nl) || e->d_name[nl] != '-')
			continue;
		long n = strtol(e->d_name + nl + 1, &end, 10);
		if (*end == 0 && n >= next)
			next = n + 1;
	}
	if (d)
		closedir(d);
	for (;; next++) {
		char *dir = xasprintf("%s/%s-%ld", root, name, next);
		if (mkdir(dir, 0700) == 0) {
			free(root);
			return dir;
		}
		if (errno != EEXIST) {
			err_set("cannot create %s: %s", dir, strerror(errno));
			free(dir);
			free(root);
			return NULL;
		}
		free(dir);
	}
}

void trace_set_latest(const char *dir)
{
	char *root = trace_root();
	char rroot[PATH_MAX], rdir[PATH_MAX];
	if (realpath(root, rroot) && realpath(dir, rdir)) {
		size_t n = strlen(rroot);
		if (!strncmp(rroot, rdir, n) && rdir[n] == '/' && !strchr(rdir + n + 1, '/')) {
			char *tmp = xasprintf("%s/.latest.%d", root, getpid());
			char *link = xasprintf("%s/latest", root);
			unlink(tmp);
			if (symlink(rdir + n + 1, tmp) == 0 && rename(tmp, link) < 0)
				unlink(tmp);
			free(tmp);
			free(link);
		}
	}
	free(root);
}

