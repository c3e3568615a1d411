/* store.h -- the per-user object store: one private copy of each distinct
 * file content a recording mapped, named by its XXH3-64 (16 hex digits).
 *
 * $SCRIBE_DIR/objects/ (mode 0700, owned by the recording user) holds
 *   HASH        an object: mode 0600, 0700 if a recording executed it;
 *               never setuid, setgid or capabilities, never a link
 *   .lock       flock: recorders take it shared while they add an object
 *               and name it in their trace, gc exclusive while it deletes
 *   .traces     absolute paths of traces recorded outside $SCRIBE_DIR
 *               that refer to this store (gc reads them too)
 *   .verified   replay's cache: object identities whose hash was checked
 *   .tmp.*      copies being written (renamed to HASH when complete)
 *
 * A trace names its objects in TRACE/objects.list (one HASH a line); a
 * packed trace also holds copies of them in TRACE/objects/. */
#ifndef SCRIBE_STORE_H
#define SCRIBE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define STORE_LIST "objects.list"     /* in a trace: the objects it refers to */
#define STORE_PACKED "objects"        /* in a packed trace: their copies */

/* $SCRIBE_DIR/objects for the store root (trace_root()); malloc'd. */
char *store_dir_of(const char *root);
/* Create the store directory (and its parents) if missing. */
int store_create(const char *store);
/* flock the store's .lock (LOCK_SH or LOCK_EX); returns the fd to close,
 * or -1 with err_set. */
int store_lock(const char *store, int how);

/* The content hash of the file open on fd (size from st). */
int store_hash_fd(int fd, const struct stat *st, uint64_t *hash);
/* Write the `len` bytes at mem, the content of src_fd (a reflink of it
 * where the filesystem allows, else a copy) to DIR/NAME through a temporary file and a rename: a reader never sees half an
 * object.  Returns -1 with err_set. */
int store_write(const char *dir, const char *name, int src_fd, const void *mem, size_t len,
                mode_t mode);

/* Where a trace's objects are: its own objects/ when it is packed, else
 * the store that recorded it (recorded), or, when that is gone, `own` (the
 * store of the user who asks).  malloc'd. */
char *store_find(const char *tracedir, bool packed, const char *recorded, const char *own);

/* The hashes a trace's objects.list names (malloc'd, *n of them). */
int store_list_read(const char *tracedir, uint64_t **hashes, size_t *n);
/* Parse "0123456789abcdef" (exactly 16 hex digits). */
bool store_parse_name(const char *s, uint64_t *hash);

/* The hash cache, kept in the user's store (.verified): was the file with
 * this identity (device, inode, size, mtime, ctime) found to hash to
 * `hash`?  Replay asks it of objects, the recorder of system files.
 * store_cache_add records that it did.  One cache per session (its
 * struct files), thread-safe. */
struct store_cache;
bool store_cache_has(struct store_cache *c, const struct stat *st, uint64_t hash);
/* The hash a file of this identity was found to have. */
bool store_cache_find(struct store_cache *c, const struct stat *st, uint64_t *hash);
void store_cache_add(struct store_cache *c, const struct stat *st, uint64_t hash);
/* The cache kept in `store` (the user's store); NULL: in memory only. */
struct store_cache *store_cache_open(const char *store);
void store_cache_close(struct store_cache *c);

#endif
