/* files.h -- the trace's store of mapped files, named by content hash. */
#ifndef SCRIBE_FILES_H
#define SCRIBE_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct files;

/* copy_only: never link a system file into the trace, copy it. */
struct files *files_open(const char *tracedir, bool copy_only);
void files_close(struct files *f);
/* Store the file open on fd (unless an identical one is there: a copy, or
 * a link to a system file) and return its hash.  `exec` gives a copy mode
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

/* Replay: check that files/HASH still has the recorded bytes (a link
 * changed in place, a damaged copy).  Returns -1 with err_set when it
 * does not. */
int files_verify(const char *dir, uint64_t hash);
/* Replay: the name in files/ to exec for an exec event's image (NAME.x,
 * the program with its PT_INTERP pointed at the trace's interpreter).
 * When the interpreter the program names is the recorded one, that is
 * the program itself; otherwise NAME.x is made on first use.  Returns -1
 * with err_set on failure. */
int files_image(struct files *f, const char *image, uint64_t exe_hash, uint64_t interp_hash,
                char out[40]);
/* "%016llx" of the hash, in a static buffer per call site (thread-local). */
const char *files_name(uint64_t hash, char buf[20]);
/* Path of a stored file (malloc'd). */
char *files_path(const char *tracedir, const char *name);

#endif
