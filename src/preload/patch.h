/* patch.h -- redirect libc's own calls of the wrapped functions (patch.c). */
#ifndef SCRIBE_PRELOAD_PATCH_H
#define SCRIBE_PRELOAD_PATCH_H

#include <stdbool.h>

/* For each i with in_libc[i]: make real[i] (a libc function) jump to
 * ours[i], and point real[i] at a trampoline that runs the original.
 * Returns how many were patched. */
int sb_patch(void *real[], void *const ours[], const bool in_libc[], int n);

#endif
