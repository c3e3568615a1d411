/* files.c -- copy mapped files into the trace, deduplicated by content.
 *
 * The program's libraries are hashed once per recording (a cache keyed by
 * device, inode, size and change times) and stored once per trace.  Files
 * a package manager installed (under /usr, /lib, /bin, /sbin, and
 * /etc/ld.so.cache) are hard links when the trace is on their filesystem,
 * as rr does: packages replace such files (write a new one, rename it over
 * the old), they do not rewrite them, so the link keeps the recorded bytes
 * while the trace costs no space for them.  Other files are copies; on
 * filesystems that share extents (btrfs, xfs), reflinks.  Replay checks
 * every file's hash before it uses it (files_verify), so a linked file
 * changed in place anyway, or a damaged copy, stops the replay with a
 * clear error instead of a wrong one. */
#include "core/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
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
	bool exec;             /* stored executable */
};

struct files {
	char *dir;             /* TRACE/files */
	bool copy_only;        /* never link */
	struct cached *cache;
	size_t ncache, capcache;
	unsigned tmpseq;
};

struct files *files_open(const char *tracedir, bool copy_only)
{
	struct files *f = xcalloc(1, sizeof(*f));
	f->dir = xasprintf("%s/files", tracedir);
	f->copy_only = copy_only;
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
	if (ok && exec && !(st.st_mode & S_IXUSR) && st.st_nlink == 1)
		chmod(p, 0700);         /* never the mode of a linked system file */
	free(p);
	return ok;
}

/* A file a package installed: under a system directory, and not
 * writable by group or others. */
static bool system_file(int fd, const struct stat *st)
{
	static const char *const dirs[] = { "/usr/", "/lib/", "/lib32/", "/lib64/", "/bin/",
	                                    "/sbin/" };
	if (!S_ISREG(st->st_mode) || (st->st_mode & (S_IWGRP | S_IWOTH)) || st->st_nlink == 0)
		return false;
	char proc[40], path[PATH_MAX];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0)
		return false;
	path[n] = 0;
	if (!strcmp(path, "/etc/ld.so.cache"))
		return true;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

/* Link the file open on fd as DIR/NAME; fails (EXDEV) across filesystems. */
static int link_copy(struct files *f, int fd, const char *name)
{
	char proc[40];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	char *dst = xasprintf("%s/%s", f->dir, name);
	int rc = linkat(AT_FDCWD, proc, AT_FDCWD, dst, AT_SYMLINK_FOLLOW);
	if (rc < 0 && errno == EEXIST)
		rc = 0;
	free(dst);
	return rc;
}

static void cache_add(struct files *f, const struct stat *st, uint64_t hash, bool exec)
{
	f->cache = xgrow(f->cache, f->ncache, &f->capcache, sizeof(*f->cache), 32);
	f->cache[f->ncache++] = (struct cached){ st->st_dev, st->st_ino, st->st_size, st->st_mtim,
	                                         st->st_ctim, hash, exec };
}

static const struct cached *cache_find(const struct files *f, const struct stat *st, bool exec)
{
	for (size_t i = 0; i < f->ncache; i++)
		if (same_file(&f->cache[i], st) && (f->cache[i].exec || !exec))
			return &f->cache[i];
	return NULL;
}

int files_store_path(struct files *f, const char *path, const struct stat *known, bool exec,
                     uint64_t *hash)
{
	struct stat st;
	if (known)
		st = *known;
	const struct cached *c = known || stat(path, &st) == 0 ? cache_find(f, &st, exec) : NULL;
	if (c) {
		*hash = c->hash;   /* stored by this recording already */
		return 0;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = files_store_fd(f, fd, exec, hash);
	close(fd);
	return rc;
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
	const struct cached *c = cache_find(f, &st, exec);
	if (c) {
		*hash = c->hash;
		return 0;
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
	if (!stored(f, name, exec) &&
	    (f->copy_only || !system_file(fd, &st) || link_copy(f, fd, name) < 0))
		rc = write_copy(f, name, fd, map, st.st_size, exec ? 0700 : 0600);
	if (map)
		munmap(map, st.st_size);
	if (rc == 0) {
		cache_add(f, &st, *hash, exec);
		/* Linking it into the trace changed its ctime: the file as the
		 * next stat sees it is the same one, not one to hash again (cc1
		 * is 30 MB). */
		struct stat now;
		if (fstat(fd, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino &&
		    now.st_size == st.st_size && now.st_mtim.tv_sec == st.st_mtim.tv_sec &&
		    now.st_mtim.tv_nsec == st.st_mtim.tv_nsec && !cache_find(f, &now, exec))
			cache_add(f, &now, *hash, exec);
	}
	return rc;
}

bool files_cached(const struct files *f, dev_t dev, ino_t ino, uint64_t hash, struct stat *st)
{
	for (size_t i = f->ncache; i-- > 0;) {
		const struct cached *c = &f->cache[i];
		if (c->dev == dev && c->ino == ino && c->hash == hash) {
			memset(st, 0, sizeof(*st));
			st->st_dev = c->dev;
			st->st_ino = c->ino;
			st->st_size = c->size;
			st->st_mtim = c->mtime;
			st->st_ctim = c->ctime;
			return true;
		}
	}
	return false;
}

int files_store_known(struct files *f, int fd, off_t max_size, uint64_t *hash)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	const struct cached *c = cache_find(f, &st, false);
	if (c) {
		*hash = c->hash;
		return 0;
	}
	if (st.st_size > max_size || !system_file(fd, &st))
		return -1;
	return files_store_fd(f, fd, false, hash);
}

/* ---- replay's side ------------------------------------------------------ */

static pthread_mutex_t verified_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cached *verified;   /* files hashed, by identity */
static size_t nverified, capverified;
static uint64_t *good;            /* names files_verify passed */
static size_t ngood, capgood;

static bool known_good(uint64_t hash)
{
	pthread_mutex_lock(&verified_mu);
	bool ok = false;
	for (size_t i = 0; i < ngood && !ok; i++)
		ok = good[i] == hash;
	pthread_mutex_unlock(&verified_mu);
	return ok;
}

static void add_good(uint64_t hash)
{
	pthread_mutex_lock(&verified_mu);
	good = xgrow(good, ngood, &capgood, sizeof(*good), 64);
	good[ngood++] = hash;
	pthread_mutex_unlock(&verified_mu);
}

/* The content hash of the file at path, cached by identity; 0 and errno
 * set when it cannot be read. */
static int hash_path(const char *path, struct stat *st, uint64_t *hash)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, st) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	pthread_mutex_lock(&verified_mu);
	for (size_t i = 0; i < nverified; i++) {
		if (same_file(&verified[i], st)) {
			*hash = verified[i].hash;
			pthread_mutex_unlock(&verified_mu);
			close(fd);
			return 0;
		}
	}
	pthread_mutex_unlock(&verified_mu);
	void *map = st->st_size ? mmap(NULL, st->st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	int e = errno;
	close(fd);
	if (map == MAP_FAILED) {
		errno = e;
		return -1;
	}
	*hash = XXH3_64bits(map ? map : "", st->st_size);
	if (map)
		munmap(map, st->st_size);
	pthread_mutex_lock(&verified_mu);
	verified = xgrow(verified, nverified, &capverified, sizeof(*verified), 32);
	verified[nverified++] = (struct cached){ st->st_dev, st->st_ino, st->st_size,
	                                         st->st_mtim, st->st_ctim, *hash, false };
	pthread_mutex_unlock(&verified_mu);
	return 0;
}

/* Once per file and replay: a map of cc1 is checked once, not at each of
 * the thousands of maps a build makes.  Copies are checked too: a copy
 * whose bytes are not its name's is a damaged trace. */
int files_verify(const char *dir, uint64_t hash)
{
	if (known_good(hash))
		return 0;
	char name[20];
	char *p = xasprintf("%s/%s", dir, files_name(hash, name));
	struct stat st;
	int rc = 0;
	if (stat(p, &st) < 0)
		goto out;    /* missing: the caller says */
	uint64_t now;
	if (hash_path(p, &st, &now) < 0) {
		err_set("cannot read %s: %s", p, strerror(errno));
		rc = -1;
	} else if (now != hash && st.st_nlink == 1) {
		err_set("%s does not hold the bytes the recording stored there (corrupt trace)", p);
		rc = -1;
	} else if (now != hash) {
		err_set("%s, a link to a system file the recording mapped, has changed since it "
		        "was recorded (the package it comes from was changed in place?); "
		        "record again, with --copy-files to keep copies", p);
		rc = -1;
	}
out:
	if (rc == 0)
		add_good(hash);
	free(p);
	return rc;
}

/* Write NAME.x: the image `exe_hash` with its PT_INTERP string replaced by
 * "./INTERP_HASH", so exec in files/ loads the trace's interpreter. */
static int make_image(struct files *f, const char *img_name, uint64_t exe_hash,
                      uint64_t interp_hash)
{
	char name[20], iname[20];
	char *src = xasprintf("%s/%s", f->dir, files_name(exe_hash, name));
	size_t len;
	uint8_t *img = (uint8_t *)read_file(src, &len);
	free(src);
	struct elf_info ei;
	int rc = -1;
	if (!img || elf_parse(img, len, &ei) < 0 || !ei.has_interp) {
		err_set("cannot prepare the executable image for replay");
		goto out;
	}
	char interp[24];
	snprintf(interp, sizeof(interp), "./%s", files_name(interp_hash, iname));
	if (strlen(interp) + 1 > ei.interp_size) {
		err_set("the program's PT_INTERP is too short to point it at the trace's "
		        "copy of its interpreter, and the system's interpreter is not the "
		        "recorded one");
		goto out;
	}
	memset(img + ei.interp_off, 0, ei.interp_size);
	memcpy(img + ei.interp_off, interp, strlen(interp));
	rc = write_copy(f, img_name, -1, img, len, 0700);
out:
	free(img);
	return rc;
}

/* Whether the interpreter the stored program names in its PT_INTERP is,
 * on this machine now, the file the recording loaded. */
static bool system_interp_is(const struct files *f, uint64_t exe_hash, uint64_t interp_hash)
{
	char name[20];
	char *src = xasprintf("%s/%s", f->dir, files_name(exe_hash, name));
	int fd = open(src, O_RDONLY | O_CLOEXEC);
	free(src);
	struct stat st;
	char interp[PATH_MAX] = "";
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	void *map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return false;
	struct elf_info ei;
	if (elf_parse(map, st.st_size, &ei) == 0 && ei.has_interp &&
	    ei.interp_size < sizeof(interp) && ei.interp_off + ei.interp_size <= (uint64_t)st.st_size)
		memcpy(interp, (const char *)map + ei.interp_off, ei.interp_size);
	munmap(map, st.st_size);
	interp[sizeof(interp) - 1] = 0;
	uint64_t h;
	return interp[0] == '/' && hash_path(interp, &st, &h) == 0 && h == interp_hash;
}

int files_image(struct files *f, const char *image, uint64_t exe_hash, uint64_t interp_hash,
                char out[40])
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	char name[20];
	files_name(exe_hash, name);
	if (files_verify(f->dir, exe_hash) < 0)
		return -1;
	size_t n = strlen(image);
	if (n < 2 || strcmp(image + n - 2, ".x")) {      /* static: runs as it is */
		snprintf(out, 40, "%s", image);
		return 0;
	}
	pthread_mutex_lock(&mu);
	int rc = 0;
	snprintf(out, 40, "%s", image);
	/* Programs already found to run as they are (make runs cc1 and as
	 * forty times each). */
	static uint64_t *as_is;
	static size_t nas_is, capas_is;
	for (size_t i = 0; i < nas_is; i++) {
		if (as_is[i] == exe_hash) {
			snprintf(out, 40, "%s", name);
			goto out;
		}
	}
	if (stored(f, image, true))
		goto out;            /* recorded by an older scribe, or made before */
	if (system_interp_is(f, exe_hash, interp_hash)) {
		as_is = xgrow(as_is, nas_is, &capas_is, sizeof(*as_is), 16);
		as_is[nas_is++] = exe_hash;
		snprintf(out, 40, "%s", name);
		goto out;
	}
	rc = files_verify(f->dir, interp_hash);
	if (rc == 0)
		rc = make_image(f, image, exe_hash, interp_hash);
out:
	pthread_mutex_unlock(&mu);
	return rc;
}
