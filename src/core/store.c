/* store.c -- the per-user object store (layout in store.h): hashing,
 * writing objects, the gc lock, a trace's list of objects, and replay's
 * cache of objects verified. */
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/util.h"

char *store_dir_of(const char *root)
{
	return xasprintf("%s/objects", root);
}

int store_create(const char *store)
{
	if (mkdir_p(store) < 0) {
		err_set("cannot create the object store %s: %s", store, strerror(errno));
		return -1;
	}
	return 0;
}

int store_lock(const char *store, int how)
{
	char *path = xasprintf("%s/.lock", store);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : flock(fd, how);
	while (rc < 0 && errno == EINTR)
		rc = flock(fd, how);
	if (rc < 0) {
		err_set("cannot lock %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

int store_hash_fd(int fd, const struct stat *st, uint64_t *hash)
{
	void *map = NULL;
	if (st->st_size > 0) {
		map = mmap(NULL, st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED)
			return -1;
	}
	*hash = XXH3_64bits(map ? map : "", st->st_size);
	if (map)
		munmap(map, st->st_size);
	return 0;
}

int store_write(const char *dir, const char *name, int src_fd, const void *mem, size_t len,
                mode_t mode)
{
	static unsigned seq;
	char *tmp = xasprintf("%s/.tmp.%d.%u", dir, getpid(),
	                      __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	char *dst = xasprintf("%s/%s", dir, name);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		err_set("cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (src_fd < 0 || ioctl(fd, FICLONE, src_fd) < 0) {
		if (write_all(fd, mem, len) < 0) {
			int e = errno;
			err_set("cannot write %s: %s", tmp, strerror(e));
			close(fd);
			unlink(tmp);
			errno = e;
			goto out;
		}
	}
	fchmod(fd, mode);       /* not the umask's */
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

char *store_find(const char *tracedir, bool packed, const char *recorded, const char *own)
{
	struct stat st;
	if (packed)
		return xasprintf("%s/%s", tracedir, STORE_PACKED);
	if (recorded && *recorded && stat(recorded, &st) == 0 && S_ISDIR(st.st_mode))
		return xstrdup(recorded);
	return xstrdup(own ? own : recorded ? recorded : "");
}

bool store_parse_name(const char *s, uint64_t *hash)
{
	uint64_t h = 0;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return false;
		h = h << 4 | (uint64_t)v;
	}
	if (s[16] && s[16] != '\n')
		return false;
	*hash = h;
	return true;
}

int store_list_read(const char *tracedir, uint64_t **hashes, size_t *n)
{
	char *path = xasprintf("%s/%s", tracedir, STORE_LIST);
	size_t len;
	char *data = read_file(path, &len);
	*hashes = NULL;
	*n = 0;
	if (!data) {
		err_set("cannot read %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	size_t cap = 0;
	for (char *line = data; line < data + len;) {
		char *nl = memchr(line, '\n', data + len - line);
		if (!nl)
			break;                       /* a line cut short by a crash */
		uint64_t h;
		if (nl - line == 16 && store_parse_name(line, &h)) {
			*hashes = xgrow(*hashes, *n, &cap, sizeof(**hashes), 64);
			(*hashes)[(*n)++] = h;
		}
		line = nl + 1;
	}
	free(data);
	return 0;
}

/* ---- replay's verification cache --------------------------------------- */

struct centry {
	uint64_t hash, dev, ino;
	int64_t size, mtime_s, mtime_ns, ctime_s, ctime_ns;
};

#define CACHE_MAX (4u << 20)    /* bytes: start again beyond this */

/* One per session (struct files): sessions in one process may use
 * different stores, and each keeps its own file open. */
struct store_cache {
	pthread_mutex_t mu;
	struct centry *v;
	size_t n, cap;
	int fd;
};

static struct centry centry_of(const struct stat *st, uint64_t hash)
{
	return (struct centry){ hash, st->st_dev, st->st_ino, st->st_size,
	                        st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	                        st->st_ctim.tv_sec, st->st_ctim.tv_nsec };
}

static void cache_put(struct store_cache *c, const struct centry *e)
{
	c->v = xgrow(c->v, c->n, &c->cap, sizeof(*c->v), 64);
	c->v[c->n++] = *e;
}

struct store_cache *store_cache_open(const char *store)
{
	struct store_cache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->fd = -1;
	if (!store || mkdir_p(store) < 0)
		return c;
	char *path = xasprintf("%s/.verified", store);
	c->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	struct stat st;
	if (c->fd < 0 || fstat(c->fd, &st) < 0)
		return c;
	/* Too big, or cut short by a full disk (entries would straddle). */
	if (st.st_size > CACHE_MAX || st.st_size % sizeof(struct centry)) {
		if (ftruncate(c->fd, 0) < 0)
			return c;
		st.st_size = 0;
	}
	size_t n = st.st_size / sizeof(struct centry);
	struct centry *all = xmalloc(n * sizeof(*all) + 1);
	ssize_t got = pread(c->fd, all, n * sizeof(*all), 0);
	for (size_t i = 0; got > 0 && i < (size_t)got / sizeof(*all); i++)
		cache_put(c, &all[i]);
	free(all);
	return c;
}

void store_cache_close(struct store_cache *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	pthread_mutex_destroy(&c->mu);
	free(c->v);
	free(c);
}

/* Entry i's identity is want's (the hash, first, left out). */
static bool same_identity(const struct centry *a, const struct centry *b)
{
	return !memcmp(&a->dev, &b->dev, sizeof(*a) - offsetof(struct centry, dev));
}

bool store_cache_has(struct store_cache *c, const struct stat *st, uint64_t hash)
{
	uint64_t h;
	return store_cache_find(c, st, &h) && h == hash;
}

bool store_cache_find(struct store_cache *c, const struct stat *st, uint64_t *hash)
{
	struct centry want = centry_of(st, 0);
	pthread_mutex_lock(&c->mu);
	bool found = false;
	for (size_t i = c->n; i-- > 0 && !found;) {
		found = same_identity(&c->v[i], &want);
		if (found)
			*hash = c->v[i].hash;
	}
	pthread_mutex_unlock(&c->mu);
	return found;
}

void store_cache_add(struct store_cache *c, const struct stat *st, uint64_t hash)
{
	struct centry e = centry_of(st, hash);
	pthread_mutex_lock(&c->mu);
	cache_put(c, &e);
	/* One write with O_APPEND: parallel replays add whole entries. */
	if (c->fd >= 0 && write(c->fd, &e, sizeof(e)) != sizeof(e)) {
		close(c->fd);           /* full disk: the cache is an optimization */
		c->fd = -1;
	}
	pthread_mutex_unlock(&c->mu);
}
