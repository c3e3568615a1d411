/* files.c -- the files a recording maps, kept in the object store by
 * content (store.h), and replay's checked access to them.
 *
 * Recording: the program's libraries are hashed once per recording (a
 * cache keyed by device, inode, size and change times); a content not yet
 * in the store is copied there (a reflink where the filesystem shares
 * extents), never linked: a trace must not share an inode with a system
 * file, or a chmod -R of the trace would change the system, and a trace
 * would keep old setuid binaries alive.  Each object is named once in
 * TRACE/objects.list, under the store's shared lock, so gc sees it as
 * soon as it is there.
 *
 * Replay: every object is hashed before its first use, unless the
 * replaying user's store cache says a file of the same identity was
 * found intact before. */
#include "core/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/elf.h"
#include "core/store.h"
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
	char *dir;             /* where the objects are: the store, or a packed trace's */
	char *trace;           /* the trace directory */
	char *scratch;         /* replay: where exec images are made */
	int list_fd;           /* record: TRACE/objects.list */
	int lock_fd;           /* record: the store's .lock */
	int trace_fd;          /* record: the trace directory, flocked while recording */
	struct cached *cache;
	size_t ncache, capcache;
	uint64_t *listed;      /* record: hashes in objects.list */
	size_t nlisted, caplisted;
	struct store_cache *hc;/* the store's hash cache (store.h) */
	/* replay: objects files_verify passed; programs found to run as
	 * they are, and images made (files_image) */
	pthread_mutex_t mu;    /* good */
	pthread_mutex_t img_mu;/* as_is, made; held while an image is made
	                          (which verifies objects: mu) */
	uint64_t *good, *as_is, *made;
	size_t ngood, capgood, nas_is, capas_is, nmade, capmade;
};

static struct files *files_new(const char *tracedir, const char *objdir)
{
	struct files *f = xcalloc(1, sizeof(*f));
	f->dir = xstrdup(objdir);
	f->trace = xstrdup(tracedir);
	f->list_fd = f->lock_fd = f->trace_fd = -1;
	pthread_mutex_init(&f->mu, NULL);
	pthread_mutex_init(&f->img_mu, NULL);
	return f;
}

/* A trace outside ROOT (the store's parent) is listed in the store's
 * .traces, so that gc finds its objects too. */
static void register_trace(const char *tracedir, const char *store)
{
	char *root = xstrdup(store);
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = 0;
	char rroot[PATH_MAX], rtrace[PATH_MAX];
	if (realpath(root, rroot) && realpath(tracedir, rtrace)) {
		size_t n = strlen(rroot);
		bool inside = !strncmp(rroot, rtrace, n) && rtrace[n] == '/' &&
		              !strchr(rtrace + n + 1, '/');
		char *reg = xasprintf("%s/.traces", store);
		int fd = inside ? -1 : open(reg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0) {
			char *line = xasprintf("%s\n", rtrace);
			if (write_all(fd, line, strlen(line)) < 0)
				warn("cannot list %s in %s: %s", rtrace, reg, strerror(errno));
			free(line);
			close(fd);
		}
		free(reg);
	}
	free(root);
}

struct files *files_open(const char *tracedir, const char *store)
{
	if (store_create(store) < 0)
		return NULL;
	struct files *f = files_new(tracedir, store);
	char *list = xasprintf("%s/%s", tracedir, STORE_LIST);
	f->list_fd = open(list, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (f->list_fd < 0)
		err_set("cannot create %s: %s", list, strerror(errno));
	free(list);
	/* Locked until the header is complete: pack waits for that. */
	f->trace_fd = f->list_fd < 0 ? -1 : open(tracedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->list_fd >= 0 && (f->trace_fd < 0 || flock(f->trace_fd, LOCK_EX | LOCK_NB) < 0))
		err_set("cannot lock %s for the recording: %s", tracedir, strerror(errno));
	else if (f->list_fd >= 0)
		f->lock_fd = store_lock(store, LOCK_SH);
	if (f->lock_fd < 0) {
		files_close(f);
		return NULL;
	}
	register_trace(tracedir, store);
	flock(f->lock_fd, LOCK_UN);
	f->hc = store_cache_open(store);
	return f;
}

struct files *files_open_replay(const char *tracedir, const char *objdir, const char *scratch,
                                const char *store)
{
	struct files *f = files_new(tracedir, objdir);
	f->scratch = xstrdup(scratch);
	f->hc = store_cache_open(store);
	return f;
}

void files_close(struct files *f)
{
	if (!f)
		return;
	int fds[] = { f->list_fd, f->lock_fd, f->trace_fd };
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(f->dir);
	free(f->trace);
	free(f->scratch);
	free(f->cache);
	free(f->listed);
	store_cache_close(f->hc);
	pthread_mutex_destroy(&f->mu);
	pthread_mutex_destroy(&f->img_mu);
	free(f->good);
	free(f->as_is);
	free(f->made);
	free(f);
}

const char *files_dir(const struct files *f)
{
	return f->dir;
}

const char *files_name(uint64_t hash, char buf[20])
{
	snprintf(buf, 20, "%016llx", (unsigned long long)hash);
	return buf;
}

char *files_object(const struct files *f, uint64_t hash)
{
	return xasprintf("%s/%016llx", f->dir, (unsigned long long)hash);
}

static bool same_file(const struct cached *c, const struct stat *st)
{
	return c->dev == st->st_dev && c->ino == st->st_ino && c->size == st->st_size &&
	       c->mtime.tv_sec == st->st_mtim.tv_sec && c->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       c->ctime.tv_sec == st->st_ctim.tv_sec && c->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* Is the object in the store already?  One wanted executable gets the
 * mode that lets the kernel execute it. */
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

/* Name the object in objects.list, once per recording. */
static int list_object(struct files *f, uint64_t hash)
{
	for (size_t i = 0; i < f->nlisted; i++)
		if (f->listed[i] == hash)
			return 0;
	char line[20];
	snprintf(line, sizeof(line), "%016llx\n", (unsigned long long)hash);
	if (write_all(f->list_fd, line, 17) < 0) {
		err_set("cannot write %s/%s: %s", f->trace, STORE_LIST, strerror(errno));
		return -1;
	}
	f->listed = xgrow(f->listed, f->nlisted, &f->caplisted, sizeof(*f->listed), 64);
	f->listed[f->nlisted++] = hash;
	return 0;
}

/* Put the content (mapped at map) in the store unless it is there, and
 * name it in the trace: both under the store's shared lock, so gc (which
 * takes it exclusive) never deletes an object between the two.  Without
 * map, only an object there already is named; 1 when it is not. */
static int add_object(struct files *f, int fd, const void *map, size_t len, uint64_t hash,
                      bool exec)
{
	char name[20];
	files_name(hash, name);
	if (flock(f->lock_fd, LOCK_SH) < 0) {
		err_set("cannot lock the object store %s: %s", f->dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	if (!stored(f, name, exec))
		rc = fd < 0 ? 1 : store_write(f->dir, name, fd, map ? map : "", len, exec ? 0700 : 0600);
	if (rc == 0)
		rc = list_object(f, hash);
	flock(f->lock_fd, LOCK_UN);
	return rc;
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
	const struct cached *c = cache_find(f, &st, exec);
	if (c) {
		*hash = c->hash;
		return 0;
	}
	/* A system file an earlier recording hashed, and whose object is
	 * in the store: cc1 is not read again (packages replace such files,
	 * and a rewrite in place changes their mtime and ctime). */
	bool sys = system_file(fd, &st);
	int rc = 1;
	if (sys && store_cache_find(f->hc, &st, hash))
		rc = add_object(f, -1, NULL, 0, *hash, exec);
	if (rc < 0)
		return -1;
	void *map = NULL;
	if (rc == 1 && st.st_size > 0) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			err_set("cannot map a file to copy it: %s", strerror(errno));
			return -1;
		}
	}
	if (rc == 1) {
		*hash = XXH3_64bits(map ? map : "", st.st_size);
		rc = add_object(f, fd, map, st.st_size, *hash, exec);
		if (rc == 0 && sys)
			store_cache_add(f->hc, &st, *hash);
	}
	if (map)
		munmap(map, st.st_size);
	if (rc == 0) {
		cache_add(f, &st, *hash, exec);
		/* A file whose ctime moved while it was stored (a chmod by the
		 * program, say) is the same one, not one to hash again (cc1
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

static bool known_good(struct files *f, uint64_t hash)
{
	pthread_mutex_lock(&f->mu);
	bool ok = false;
	for (size_t i = 0; i < f->ngood && !ok; i++)
		ok = f->good[i] == hash;
	pthread_mutex_unlock(&f->mu);
	return ok;
}

static void add_good(struct files *f, uint64_t hash)
{
	pthread_mutex_lock(&f->mu);
	f->good = xgrow(f->good, f->ngood, &f->capgood, sizeof(*f->good), 64);
	f->good[f->ngood++] = hash;
	pthread_mutex_unlock(&f->mu);
}

/* Does the file at path have content `hash`?  1 yes, 0 no, -1 (errno)
 * unreadable.  Asks the store's cache first, and tells it a yes. */
static int hashes_to(struct files *f, const char *path, uint64_t hash)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	int rc = 1;
	uint64_t now;
	if (!f->hc || !store_cache_has(f->hc, &st, hash)) {
		rc = store_hash_fd(fd, &st, &now) < 0 ? -1 : now == hash;
		if (rc == 1 && f->hc)
			store_cache_add(f->hc, &st, hash);
	}
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Once per object and replay: a map of cc1 is checked once, not at each
 * of the thousands of maps a build makes. */
int files_verify(struct files *f, uint64_t hash)
{
	if (known_good(f, hash))
		return 0;
	char *p = files_object(f, hash);
	int rc = hashes_to(f, p, hash);
	char name[20];
	files_name(hash, name);
	bool packed = !strncmp(f->dir, f->trace, strlen(f->trace));
	if (rc < 0)
		err_set("object %s of the trace %s %s: %s: %s%s", name, f->trace,
		        errno == ENOENT ? "is missing" : "cannot be read", p, strerror(errno),
		        errno != ENOENT || packed ? "" : " (deleted from the store? 'scribe pack' "
		                                         "keeps a trace's objects in the trace)");
	else if (rc == 0)
		err_set("object %s of the trace %s is damaged: %s no longer has the content it "
		        "is named by%s", name, f->trace, p,
		        packed ? "" : " (delete it: a recording of the program stores it again)");
	else
		add_good(f, hash);
	free(p);
	return rc == 1 ? 0 : -1;
}

/* Write SCRATCH/NAME: the image `exe_hash` with its PT_INTERP string
 * replaced by "./INTERP_HASH", so exec loads the trace's interpreter from
 * the replayed program's working directory, the objects. */
static int make_image(struct files *f, const char *img_name, uint64_t exe_hash,
                      uint64_t interp_hash)
{
	char iname[20];
	char *src = files_object(f, exe_hash);
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
	rc = store_write(f->scratch, img_name, -1, img, len, 0700);
out:
	free(img);
	return rc;
}

/* Whether the interpreter the stored program names in its PT_INTERP is,
 * on this machine now, the file the recording loaded. */
static bool system_interp_is(struct files *f, uint64_t exe_hash, uint64_t interp_hash)
{
	char *src = files_object(f, exe_hash);
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
	return interp[0] == '/' && hashes_to(f, interp, interp_hash) == 1;
}

char *files_image(struct files *f, const char *image, uint64_t exe_hash, uint64_t interp_hash)
{
	char name[20];
	files_name(exe_hash, name);
	if (files_verify(f, exe_hash) < 0)
		return NULL;
	size_t n = strlen(image);
	if (n < 2 || strcmp(image + n - 2, ".x"))       /* static: runs as it is */
		return xasprintf("./%s", name);
	pthread_mutex_lock(&f->img_mu);
	/* Programs already found to run as they are (make runs cc1 and as
	 * forty times each), and images made in this session's scratch. */
	char *out = NULL;
	for (size_t i = 0; i < f->nas_is && !out; i++)
		if (f->as_is[i] == exe_hash)
			out = xasprintf("./%s", name);
	for (size_t i = 0; i < f->nmade && !out; i++)
		if (f->made[i] == exe_hash)
			out = xasprintf("%s/%s", f->scratch, image);
	if (out)
		goto out;
	if (system_interp_is(f, exe_hash, interp_hash)) {
		f->as_is = xgrow(f->as_is, f->nas_is, &f->capas_is, sizeof(*f->as_is), 16);
		f->as_is[f->nas_is++] = exe_hash;
		out = xasprintf("./%s", name);
	} else if (files_verify(f, interp_hash) == 0 &&
	           make_image(f, image, exe_hash, interp_hash) == 0) {
		f->made = xgrow(f->made, f->nmade, &f->capmade, sizeof(*f->made), 16);
		f->made[f->nmade++] = exe_hash;
		out = xasprintf("%s/%s", f->scratch, image);
	}
out:
	pthread_mutex_unlock(&f->img_mu);
	return out;
}
