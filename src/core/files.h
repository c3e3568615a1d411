/* files.h -- the trace's store of mapped files, named by content hash. */
#ifndef SCRIBE_FILES_H
#define SCRIBE_FILES_H

#include <stdbool.h>
#include <stdint.h>

struct files;

struct files *files_open(const char *tracedir);
void files_close(struct files *f);
/* Copy the file open on fd into the store (unless an identical one is
 * there) and return its hash.  `exec` gives the copy mode 0700 so the
 * kernel can execute it.  Returns -1 with err_set on failure. */
int files_store_fd(struct files *f, int fd, bool exec, uint64_t *hash);
/* Write HASH.x: the image `exe_hash` with its PT_INTERP string replaced by
 * "./INTERP_HASH", so exec in files/ loads the trace's interpreter. */
int files_store_image(struct files *f, uint64_t exe_hash, uint64_t interp_hash);
/* "%016llx" of the hash, in a static buffer per call site (thread-local). */
const char *files_name(uint64_t hash, char buf[20]);
/* Path of a stored file (malloc'd). */
char *files_path(const char *tracedir, const char *name);

#endif
