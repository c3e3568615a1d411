/* files.h -- the files a recording maps, kept in the object store by
 * content hash (store.h), and replay's checked access to them. */
#ifndef SCRIBE_FILES_H
#define SCRIBE_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct files;

/* Recording into tracedir, with objects in `store` (created if needed):
 * locks the trace directory against pack and gc for as long as it is
 * open.  NULL with err_set on failure. */
struct files *files_open(const char *tracedir, const char *store);
/* Replay: the objects are in objdir; exec images go to scratch. */
/* store: the user's store, whose hash cache replay uses (NULL: none). */
struct files *files_open_replay(const char *tracedir, const char *objdir, const char *scratch,
                                const char *store);
void files_close(struct files *f);
/* Where the objects are. */
const char *files_dir(const struct files *f);

/* Store the file open on fd (unless its content is there already) and
 * name it in the trace; return its hash.  `exec` gives the object mode
 * 0700 so the kernel can execute it.  Returns -1 with err_set on failure. */
int files_store_fd(struct files *f, int fd, bool exec, uint64_t *hash);
/* The same for a path; a file this recording stored already is found by
 * stat alone (`known`, when the caller has it: a stat of a /proc path
 * costs some 4 us). */
int files_store_path(struct files *f, const char *path, const struct stat *known, bool exec,
                     uint64_t *hash);

/* The same, for a file this recording stored already, or a system file
 * (one a package installed) of at most max_size bytes: the files reads
 * may refer to.  Returns -1 for any other. */
int files_store_known(struct files *f, int fd, off_t max_size, uint64_t *hash);
/* The latest identity (device, inode, size, mtime, ctime) under which the
 * file dev/ino with this hash was stored: a stat with it finds the copy. */
bool files_cached(const struct files *f, dev_t dev, ino_t ino, uint64_t hash, struct stat *st);

/* Replay: check that the object has the content its hash names, once per
 * replay (and, through the store's cache, once per identity).  Returns -1
 * with err_set (naming the object and the trace) when it is missing or
 * damaged. */
int files_verify(struct files *f, uint64_t hash);
/* Replay: the path to exec for an exec event's image (NAME.x: the program
 * with its PT_INTERP pointed at the trace's interpreter), relative to the
 * objects directory or absolute.  When the interpreter the program names
 * is the recorded one, that is the object itself ("./HASH"); otherwise
 * the image is made in the scratch directory on first use.  malloc'd, or
 * NULL with err_set. */
char *files_image(struct files *f, const char *image, uint64_t exe_hash, uint64_t interp_hash);
/* "%016llx" of the hash. */
const char *files_name(uint64_t hash, char buf[20]);
/* Path of an object (malloc'd). */
char *files_object(const struct files *f, uint64_t hash);

#endif
