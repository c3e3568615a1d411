/* vdso.h -- the vDSO a recorded program sees. */
#ifndef SCRIBE_VDSO_H
#define SCRIBE_VDSO_H

#include <stddef.h>
#include <stdint.h>

/* Rewrite, in a copy of the kernel's vDSO image (len bytes, as mapped),
 * every function that answers without entering the kernel (clocks, time,
 * getcpu, getrandom) so that it makes the system call instead.  Returns
 * how many functions were rewritten, or -1 (err_set) if one of them is
 * too small for its new body or the image is not an ELF we can read. */
int vdso_patch(uint8_t *img, size_t len);

#endif
