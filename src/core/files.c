/* files.c -- copy mapped files into the trace, deduplicated by content.
 *
 * The program's libraries are hashed once per recording (a cache keyed by
 * device, inode, size and change times) and copied once per trace; on
 * filesystems that can share extents (btrfs, xfs) the copy is a reflink. */
#include "core/files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/elf.h"
#include "core/util.h"

struct cached {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	uint64_t hash;
};

struct files {
	char *dir;             /* TRACE/files */
	struct cached *cache;
	int ncache, capcache;
	unsigned tmpseq;
};

struct files *files_open(const char *tracedir)
{
	struct files *f = xcalloc(1, sizeof(*f));
	f->dir = xasprintf("%s/files", tracedir);
	return f;
}

void files_close(struct files *f)
{
	if (!f)
		return;
	free(f->dir);
	free(f->cache);
	free(f);
}

const char *files_name(uint64_t hash, char buf[20])
{
	snprintf(buf, 20, "%016llx", (unsigned long long)hash);
	return buf;
}

char *files_path(const char *tracedir, const char *name)
{
	return xasprintf("%s/files/%s", tracedir, name);
}

static bool same_file(const struct cached *c, const struct stat *st)
{
	return c->dev == st->st_dev && c->ino == st->st_ino && c->size == st->st_size &&
	       c->mtime.tv_sec == st->st_mtim.tv_sec && c->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       c->ctime.tv_sec == st->st_ctim.tv_sec && c->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* Write `len` bytes (from src_fd, or from mem) to DIR/NAME via a temporary
 * file and rename, so a reader never sees a half-written copy. */
static int write_copy(struct files *f, const char *name, int src_fd, const void *mem,
                      size_t len, mode_t mode)
{
	char *tmp = xasprintf("%s/.tmp.%d.%u", f->dir, getpid(), f->tmpseq++);
	char *dst = xasprintf("%s/%s", f->dir, name);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		err_set("cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (src_fd < 0 || ioctl(fd, FICLONE, src_fd) < 0) {
		if (write_all(fd, mem, len) < 0) {
			int e = errno;
			err_set("cannot write the trace's copy of a mapped file: %s", strerror(e));
			close(fd);
			unlink(tmp);
			errno = e;
			goto out;
		}
	}
	fchmod(fd, mode);
	close(fd);
	if (rename(tmp, dst) < 0) {
		err_set("cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(dst);
	return rc;
}

static bool stored(struct files *f, const char *name, bool exec)
{
	char *p = xasprintf("%s/%s", f->dir, name);
	struct stat st;
	bool ok = stat(p, &st) == 0;
	if (ok && exec && !(st.st_mode & S_IXUSR))
		chmod(p, 0700);
	free(p);
	return ok;
}

int files_store_fd(struct files *f, int fd, bool exec, uint64_t *hash)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		err_set("fstat: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set("not a regular file");
		errno = EINVAL;
		return -1;
	}
	char name[20];
	for (int i = 0; i < f->ncache; i++) {
		if (same_file(&f->cache[i], &st)) {
			*hash = f->cache[i].hash;
			if (stored(f, files_name(*hash, name), exec))
				return 0;
		}
	}
	void *map = NULL;
	if (st.st_size > 0) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			err_set("cannot map a file to copy it: %s", strerror(errno));
			return -1;
		}
	}
	*hash = XXH3_64bits(map ? map : "", st.st_size);
	files_name(*hash, name);
	int rc = 0;
	if (!stored(f, name, exec))
		rc = write_copy(f, name, fd, map, st.st_size, exec ? 0700 : 0600);
	if (map)
		munmap(map, st.st_size);
	if (rc == 0) {
		if (f->ncache == f->capcache) {
			f->capcache = f->capcache ? 2 * f->capcache : 32;
			f->cache = xrealloc(f->cache, f->capcache * sizeof(*f->cache));
		}
		f->cache[f->ncache++] = (struct cached){ st.st_dev, st.st_ino, st.st_size,
		                                         st.st_mtim, st.st_ctim, *hash };
	}
	return rc;
}

int files_store_image(struct files *f, uint64_t exe_hash, uint64_t interp_hash)
{
	char name[20], iname[20];
	files_name(exe_hash, name);
	char *img_name = xasprintf("%s.x", name);
	int rc = -1;
	if (stored(f, img_name, true)) {
		rc = 0;
		goto out;
	}
	char *src = xasprintf("%s/%s", f->dir, name);
	size_t len;
	uint8_t *img = (uint8_t *)read_file(src, &len);
	free(src);
	struct elf_info ei;
	if (!img || elf_parse(img, len, &ei) < 0 || !ei.has_interp) {
		err_set("cannot prepare the executable image for replay");
		free(img);
		goto out;
	}
	char interp[24];
	snprintf(interp, sizeof(interp), "./%s", files_name(interp_hash, iname));
	if (strlen(interp) + 1 > ei.interp_size) {
		err_set("PT_INTERP of the program is too short to redirect");
		free(img);
		goto out;
	}
	memset(img + ei.interp_off, 0, ei.interp_size);
	memcpy(img + ei.interp_off, interp, strlen(interp));
	rc = write_copy(f, img_name, -1, img, len, 0700);
	free(img);
out:
	free(img_name);
	return rc;
}
