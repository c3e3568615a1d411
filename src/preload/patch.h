/* patch.h -- redirect libc's own calls of the wrapped functions (patch.c). */
#ifndef SCRIBE_PRELOAD_PATCH_H
#define SCRIBE_PRELOAD_PATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Plan, then apply: sb_patch_begin() makes the trampoline area writable,
 * sb_patch() and sb_patch_sites() write trampolines and queue the jumps,
 * sb_patch_end() writes the jumps into libc and returns how many. */
bool sb_patch_begin(void);
int sb_patch_end(void);

/* For each i with in_libc[i]: make real[i] (a libc function) jump to
 * ours[i], and point real[i] at a trampoline that runs the original. */
void sb_patch(void *real[], void *const ours[], const bool in_libc[], int n);

/* Redirect "mov $NR, %eax; syscall" sequences with NR in nrs[] found in
 * the first `len` bytes of a libc function to sb_raw_entry (entry.S). */
void sb_patch_sites(void *fn, size_t len, const int nrs[], int n);

#endif
