/* loader.h -- the loader stub (preload/ldstub.h), set up by the tracer in a
 * task stopped at its first system call after an exec. */
#ifndef SCRIBE_LOADER_H
#define SCRIBE_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "preload/ldstub.h"

/* ld.so's syscall, rdtsc and cpuid sites the stub takes over (at most
 * LD_MAX_SITES). */
struct ld_site {
	uint64_t at;           /* first byte of the site */
	uint8_t len;           /* bytes replaced, at least 7 */
	uint8_t npre, npost;   /* instructions of the site run before and after
	                          the call, moved into the trampoline */
	uint32_t nr;           /* or LD_SITE_RDTSC, LD_SITE_CPUID */
	uint8_t pre[16], post[24];
};

#define LD_SITE_RDTSC 0xffffffffu   /* an rdtsc, answered by ld_rdtsc */
#define LD_SITE_CPUID 0xfffffffeu   /* a cpuid, answered by ld_cpuid */

struct ld_sites {
	int n;
	struct ld_site s[LD_MAX_SITES];
};

/* Find the sites in the task's ld.so (none for a static program, or an
 * ld.so whose sites have other shapes).  The answer depends only on
 * ld.so's bytes, so replay finds the same. */
void ld_find(pid_t tid, int memfd, struct ld_sites *out);

/* With the stub's area mapped (LD_AREA_SIZE from the scribe page,
 * writable): write the stub, the trampolines and the slot's header `hdr`
 * (mode, outputs, owner), and patch the sites.  False if the task died
 * on the way. */
bool ld_install(pid_t tid, int memfd, const struct ld_sites *s, const void *hdr,
                size_t hdr_len);

/* Leave out the site holding the syscall instruction at `at`: the task
 * is stopped at that call (the first after an exec, which sets the stub
 * up: in a secure exec, ld.so's mmap in __tunables_init or its access of
 * /etc/suid-debug), and issuing it again there after the site became a
 * jump would run the middle of the jump.  It stays a traced call, in
 * record and replay alike. */
void ld_drop_site(struct ld_sites *s, uint64_t at);

#endif
