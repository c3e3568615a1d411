/* maps.c -- parse /proc/PID/maps into an array, and the memory bounds in
 * /proc/PID/stat. */
#include "core/maps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/util.h"

int maps_mm_at_exec(pid_t pid, uint64_t mm[MM_NFIELDS])
{
	char buf[1024];
	const char *s = strrchr(proc_text(buf, sizeof(buf), "/proc/%d/stat", pid), ')');
	/* field number -> where it goes; fields count from 1 (pid), 3 is the
	 * first after the command name */
	static const struct { int field, slot; } want[] = {
		{ 26, MM_START_CODE }, { 27, MM_END_CODE }, { 28, MM_START_STACK },
		{ 45, MM_START_DATA }, { 46, MM_END_DATA }, { 47, MM_START_BRK },
		{ 48, MM_ARG_START }, { 49, MM_ARG_END }, { 50, MM_ENV_START }, { 51, MM_ENV_END },
	};
	if (!s)
		return -1;
	s++;
	unsigned k = 0;
	for (int field = 3; *s && k < sizeof(want) / sizeof(want[0]); field++) {
		char *end;
		while (*s == ' ')
			s++;
		unsigned long long v = strtoull(s, &end, 10);
		if (field == want[k].field)
			mm[want[k++].slot] = v;
		s = end;
		while (*s && *s != ' ')
			s++;
	}
	mm[MM_BRK] = mm[MM_START_BRK];
	return k == sizeof(want) / sizeof(want[0]) ? 0 : -1;
}

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
