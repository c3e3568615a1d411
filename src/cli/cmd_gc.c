/* cmd_gc.c -- `scribe gc`: delete the objects of the store that no
 * unpacked trace refers to.
 *
 * gc holds the store's lock exclusive while it reads the traces' lists
 * and deletes: a recorder names an object in its trace's list under the
 * same lock, shared, so an object a running recording uses is always
 * listed by the time gc can look (core/files.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/store.h"
#include "core/util.h"
#include "trace/trace.h"

static const char usage[] =
"Usage: scribe gc [-q]\n"
"\n"
"Delete the objects of the object store $SCRIBE_DIR/objects (the files\n"
"recordings mapped, one copy per content) that no trace refers to: the\n"
"traces under $SCRIBE_DIR, those recorded elsewhere with -o (the store\n"
"lists them), and recordings still running.  Packed traces hold their own\n"
"copies and keep nothing in the store.  A trace moved elsewhere without\n"
"'scribe pack' may lose its objects.\n"
"\n"
"Options:\n"
"  -q, --quiet  print nothing on success\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0, or 125 if the store cannot be read or locked.\n";

struct refs {
	uint64_t *h;
	size_t n, cap;
};

/* Add the objects of the trace at dir, unless it holds its own. */
static void refs_add_trace(struct refs *r, const char *dir)
{
	struct trc_header h;
	if (trc_header_read(dir, &h) == 0) {
		bool packed = h.packed;
		trc_header_free(&h);
		if (packed)
			return;
	}       /* no header yet (a recording starting), or damaged: keep */
	uint64_t *v;
	size_t n;
	if (store_list_read(dir, &v, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		r->h = xgrow(r->h, r->n, &r->cap, sizeof(*r->h), 256);
		r->h[r->n++] = v[i];
	}
	free(v);
}

static void refs_under_root(struct refs *r, const char *root)
{
	DIR *d = opendir(root);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "objects"))
			continue;
		char *p = xasprintf("%s/%s", root, e->d_name);
		char *list = xasprintf("%s/%s", p, STORE_LIST);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && access(list, F_OK) == 0)
			refs_add_trace(r, p);
		free(list);
		free(p);
	}
	if (d)
		closedir(d);
}

/* Traces recorded outside the root (store.h, .traces): those still there
 * and still of this store count, and stay listed; the others go. */
static void refs_registered(struct refs *r, const char *store)
{
	char *reg = xasprintf("%s/.traces", store);
	size_t len;
	char *data = read_file(reg, &len);
	char real[PATH_MAX];
	if (!data || !realpath(store, real)) {
		free(data);
		free(reg);
		return;
	}
	struct buf keep = {0};
	for (char *line = data, *nl; line < data + len && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = 0;
		struct trc_header h;
		bool ours = trc_header_read(line, &h) == 0 && h.store && !strcmp(h.store, real);
		if (ours)
			trc_header_free(&h);
		bool dup = false;
		for (size_t i = 0; i < keep.len && !dup; i += strlen((char *)keep.p + i) + 1)
			dup = !strcmp((char *)keep.p + i, line);
		if (!ours || dup)
			continue;
		refs_add_trace(r, line);
		buf_put(&keep, line, strlen(line) + 1);
	}
	char *tmp = xasprintf("%s.tmp", reg);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	for (size_t i = 0; fd >= 0 && i < keep.len; i += strlen((char *)keep.p + i) + 1)
		dprintf(fd, "%s\n", (char *)keep.p + i);
	if (fd >= 0 && close(fd) == 0)
		rename(tmp, reg);
	free(tmp);
	buf_free(&keep);
	free(data);
	free(reg);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Delete what is not in refs (sorted), and temporaries of dead writers
 * (live ones hold the lock gc has). */
static void sweep(const char *store, const struct refs *r, bool quiet)
{
	uint64_t gone = 0, gone_bytes = 0, kept = 0, kept_bytes = 0;
	DIR *d = opendir(store);
	for (struct dirent *e; d && (e = readdir(d));) {
		uint64_t h;
		struct stat st;
		bool obj = strlen(e->d_name) == 16 && store_parse_name(e->d_name, &h);
		if ((!obj && strncmp(e->d_name, ".tmp.", 5)) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (obj && r->n && bsearch(&h, r->h, r->n, sizeof(*r->h), cmp_u64)) {
			kept++;
			kept_bytes += st.st_size;
		} else if (unlinkat(dirfd(d), e->d_name, 0) == 0 && obj) {
			gone++;
			gone_bytes += st.st_size;
		}
	}
	if (d)
		closedir(d);
	if (!quiet)
		printf("removed %llu objects (%.1f MiB); kept %llu (%.1f MiB) in %s\n",
		       (unsigned long long)gone, gone_bytes / 1048576.0, (unsigned long long)kept,
		       kept_bytes / 1048576.0, store);
}

int cmd_gc(int argc, char **argv)
{
	bool quiet;
	int rc = quiet_options("gc", usage, argc, argv, &quiet);
	if (rc >= 0)
		return rc;
	if (argc > optind)
		return usage_error("gc", "no arguments expected");
	char *root = trace_root();
	char *store = store_dir_of(root);
	struct stat st;
	rc = 0;
	if (stat(store, &st) < 0) {
		if (!quiet)
			printf("no object store at %s: nothing to delete\n", store);
		goto out;
	}
	int lock = store_lock(store, LOCK_EX);
	if (lock < 0) {
		err_print();
		rc = EXIT_SCRIBE;
		goto out;
	}
	struct refs r = {0};
	refs_under_root(&r, root);
	refs_registered(&r, store);
	if (r.n)
		qsort(r.h, r.n, sizeof(*r.h), cmp_u64);
	sweep(store, &r, quiet);
	free(r.h);
	close(lock);
out:
	free(store);
	free(root);
	return rc;
}
