/* cmd_pack.c -- `scribe pack`: copy a trace's objects into it, so that it
 * replays without the object store (on another machine, say). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "cli/cli.h"
#include "core/files.h"
#include "core/store.h"
#include "core/util.h"
#include "trace/trace.h"

static const char usage[] =
"Usage: scribe pack [-q] [TRACE]\n"
"\n"
"Copy every object the trace refers to (the files its program mapped, kept\n"
"once per machine in the object store $SCRIBE_DIR/objects) into the trace's\n"
"own objects/ directory, checking each against its hash.  A packed trace\n"
"replays without the store: after 'scribe gc', on another machine, or\n"
"moved elsewhere.  'scribe info' says whether a trace is packed.\n"
"\n"
"Options:\n"
"  -q, --quiet  print nothing on success\n"
"  -h, --help   show this help\n"
"\n"
"TRACE defaults to the latest recording.  A trace being recorded is not\n"
"packed.  Exit status: 0, or 125 if the trace cannot be packed (an object\n"
"missing or damaged, a full disk).\n";

/* Copy one object into dst, checking it on the way. */
static int pack_object(const char *dir, const char *src, const char *dst, uint64_t hash,
                       uint64_t *bytes)
{
	char name[20];
	files_name(hash, name);
	char *path = xasprintf("%s/%s", src, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int rc = -1;
	if (fd < 0 || fstat(fd, &st) < 0) {
		err_set("object %s of the trace %s is missing: %s: %s", name, dir, path,
		        strerror(errno));
		goto out;
	}
	void *map = st.st_size ? mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	if (map == MAP_FAILED) {
		err_set("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (XXH3_64bits(map ? map : "", st.st_size) != hash)
		err_set("object %s of the trace %s is damaged: %s no longer has the content it is "
		        "named by", name, dir, path);
	else
		rc = store_write(dst, name, fd, map ? map : "", st.st_size,
		                 st.st_mode & S_IXUSR ? 0700 : 0600);
	if (map)
		munmap(map, st.st_size);
	*bytes += st.st_size;
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

int trace_pack(const char *dir, bool quiet)
{
	struct trc_header h;
	if (trc_header_read(dir, &h) < 0)
		return -1;
	int lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint64_t *hashes = NULL, bytes = 0;
	size_t n = 0;
	char *own = trace_store();
	char *src = store_find(dir, false, h.store, own);
	char *dst = xasprintf("%s/%s", dir, STORE_PACKED);
	int rc = -1;
	if (h.packed) {
		if (!quiet)
			printf("%s is packed already\n", dir);
		rc = 0;
		goto out;
	}
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0) {
		err_set("cannot pack %s: %s", dir, lock < 0 ? strerror(errno) :
		        "it is being recorded (or packed) now");
		goto out;
	}
	if (store_list_read(dir, &hashes, &n) < 0)
		goto out;
	if (mkdir(dst, 0700) < 0 && errno != EEXIST) {
		err_set("cannot create %s: %s", dst, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (pack_object(dir, src, dst, hashes[i], &bytes) < 0)
			goto out;
	h.packed = true;
	if (trc_header_write(dir, &h) < 0)
		goto out;
	if (!quiet)
		printf("packed %zu objects (%.1f MiB) into %s\n", n, bytes / 1048576.0, dst);
	rc = 0;
out:
	if (lock >= 0)
		close(lock);
	trc_header_free(&h);
	free(hashes);
	free(own);
	free(src);
	free(dst);
	return rc;
}

int cmd_pack(int argc, char **argv)
{
	bool quiet;
	int rc = quiet_options("pack", usage, argc, argv, &quiet);
	if (rc >= 0)
		return rc;
	if (argc - optind > 1)
		return usage_error("pack", "too many arguments");
	char *dir = trace_resolve(optind < argc ? argv[optind] : NULL);
	if (!dir || trace_pack(dir, quiet) < 0) {
		err_print();
		free(dir);
		return EXIT_SCRIBE;
	}
	free(dir);
	return 0;
}
