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

#endif
