/* maps.c -- parse /proc/PID/maps into an array. */
#include "core/maps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/util.h"

int maps_read(pid_t pid, struct map **out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	char *text = read_file(path, NULL);
	if (!text)
		return -1;
	int n = 0, cap = 64;
	struct map *v = xcalloc(cap, sizeof(*v));
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct map m = {0};
		char perms[8] = "";
		unsigned long long s, e, off, ino;
		int pos = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %*s %llu %n", &s, &e, perms, &off, &ino, &pos) < 5)
			continue;
		m.start = s;
		m.end = e;
		m.offset = off;
		m.inode = ino;
		m.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
		         (perms[2] == 'x' ? PROT_EXEC : 0);
		m.shared = perms[3] == 's';
		if (pos > 0)
			snprintf(m.name, sizeof(m.name), "%s", line + pos);
		if (n == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = m;
	}
	free(text);
	*out = v;
	return n;
}
