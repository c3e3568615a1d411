/* seccomp.h -- the filter every tracee runs under. */
#ifndef SCRIBE_SECCOMP_H
#define SCRIBE_SECCOMP_H

/* Install the filter in the calling process (the child, before exec).
 * Only async-signal-safe calls: it runs between fork and exec. */
int seccomp_install(void);

#endif
