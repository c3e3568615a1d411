/* maps.h -- parse /proc/PID/maps. */
#ifndef SCRIBE_MAPS_H
#define SCRIBE_MAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct map {
	uint64_t start, end, offset, inode;
	uint32_t prot;       /* PROT_* */
	bool shared;
	char name[256];      /* path, [stack], [heap], [vdso]... or "" */
};

/* Returns the number of mappings (malloc'd array in *out) or -1. */
int maps_read(pid_t pid, struct map **out);

/* The kernel's bounds of a process's memory areas (struct prctl_mm_map's
 * fields, in that order), as /proc/PID/stat shows them. */
enum {
	MM_START_CODE, MM_END_CODE, MM_START_DATA, MM_END_DATA, MM_START_BRK, MM_BRK,
	MM_START_STACK, MM_ARG_START, MM_ARG_END, MM_ENV_START, MM_ENV_END, MM_NFIELDS
};
/* Read them for pid, right after its exec (brk is start_brk then: stat
 * does not show it).  Returns 0, or -1 if they cannot be read. */
int maps_mm_at_exec(pid_t pid, uint64_t mm[MM_NFIELDS]);

#endif
