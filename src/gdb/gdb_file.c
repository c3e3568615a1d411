/* gdb_file.c -- vFile: gdb reads the program's files through the server
 * (its sysroot "target:"), read-only.  The program itself is the trace's
 * own copy (qXfer:exec-file names the file the replay runs), and so are
 * the libraries: gdb asks for them by the path the dynamic loader opened
 * (its link map), which may hold another file by now, or none (a packed
 * trace on another machine).  The trace says which mapping that open
 * made (an open's result fd, then an mmap of that fd: its address), and
 * the replayed process has the trace's copy mapped there: its
 * /proc/PID/maps names the object. */
#include "gdb/gdb_int.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* gdb's File-I/O errno numbers differ from Linux's for a few. */
static int fio_errno(int e)
{
	return e == ENOSYS ? 88 : e == ENAMETOOLONG ? 91 : e > 0 && e <= 30 ? e : 9999;
}

static void fail(struct gdb *g, int e)
{
	gdb_sendf(&g->c, "F-1,%x", fio_errno(e));
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void send_data(struct gdb *g, const void *data, size_t n)
{
	char *out = malloc(n + 24);
	if (!out) {
		fail(g, ENOMEM);
		return;
	}
	int h = snprintf(out, 24, "F%zx;", n);
	memcpy(out + h, data, n);
	gdb_send(&g->c, out, (size_t)h + n);
	free(out);
}

/* A file the followed process opened and mapped, as recorded. */
struct gdb_copy {
	int32_t pid;
	char *path;
	uint64_t addr;
};

struct gdb_copies {
	struct gdb_copy *v;
	size_t n, cap;
};

static void add_copy(struct gdb_copies *c, int32_t pid, const char *path, uint64_t addr)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct gdb_copy *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return;
		c->v = v;
		c->cap = cap;
	}
	char *dup = strdup(path);
	if (dup)
		c->v[c->n++] = (struct gdb_copy){ .pid = pid, .path = dup, .addr = addr };
}

/* One pass over the trace's syscalls: each open's path by (pid, fd),
 * and the first mmap of that fd. */
static struct gdb_copies *scan_copies(const char *trace)
{
	struct gdb_copies *c = calloc(1, sizeof(*c));
	struct gdb_copies open_fds = {0};       /* addr: the fd */
	struct scribe_open_opts oo = { .size = sizeof(oo), .stream = -1,
	                               .kinds = SCRIBE_KIND_BIT(SCRIBE_EV_SYSCALL) };
	scribe_trace *tr = NULL;
	if (!c || scribe_trace_open(trace, &oo, &tr) != SCRIBE_OK) {
		scribe_trace_close(tr);
		return c;
	}
	struct scribe_event ev[64];
	int n;
	while ((n = scribe_trace_next(tr, ev, 64)) > 0)
		for (int i = 0; i < n; i++) {
			const struct scribe_event *e = &ev[i];
			if (!e->name)
				continue;
			if ((!strcmp(e->name, "openat") || !strcmp(e->name, "open")) && e->path &&
			    e->result >= 0)
				add_copy(&open_fds, e->pid, e->path, (uint64_t)e->result);
			else if (!strcmp(e->name, "mmap") && e->nargs >= 5 && e->result > 0)
				for (size_t k = open_fds.n; k-- > 0;)
					if (open_fds.v[k].pid == e->pid &&
					    open_fds.v[k].addr == e->args[4]) {
						add_copy(c, e->pid, open_fds.v[k].path,
						         (uint64_t)e->result);
						free(open_fds.v[k].path);
						open_fds.v[k] = open_fds.v[--open_fds.n];
						break;
					}
		}
	scribe_trace_close(tr);
	for (size_t k = 0; k < open_fds.n; k++)
		free(open_fds.v[k].path);
	free(open_fds.v);
	return c;
}

void gdb_copies_free(struct gdb_copies *c)
{
	for (size_t i = 0; c && i < c->n; i++)
		free(c->v[i].path);
	if (c)
		free(c->v);
	free(c);
}

/* The file mapped at addr in the replayed process (real pid), or, with
 * `path`, is that file mapped at all (addr ignored)? */
static bool mapped_at(int32_t real_pid, uint64_t addr, char *out, size_t cap, const char *path)
{
	char maps[64], line[4096 + 128];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", real_pid);
	FILE *f = fopen(maps, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		int at = 0;
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %n", &lo, &hi, &at) < 2 || !at ||
		    (!path && (addr < lo || addr >= hi)) || line[at] != '/')
			continue;
		line[strcspn(line, "\n")] = 0;
		if (path && strcmp(path, line + at))
			continue;
		snprintf(out, cap, "%s", line + at);
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

/* The dynamic loader is mapped by the kernel at exec, not by an open and
 * mmap: is `path` the interpreter the running image names (PT_INTERP of
 * /proc/PID/exe, which the trace's exec image points at the loader gdb
 * asks for), and where is it mapped (auxv's AT_BASE)? */
static bool interp_base(int32_t real_pid, const char *path, uint64_t *base)
{
	char proc[64], interp[4096] = "";
	snprintf(proc, sizeof(proc), "/proc/%d/exe", real_pid);
	int fd = open(proc, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	if (fd >= 0 && pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) && eh.e_phentsize == sizeof(Elf64_Phdr))
		for (int i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;
			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
			    sizeof(ph))
				break;
			if (ph.p_type == PT_INTERP && ph.p_filesz < sizeof(interp) &&
			    pread(fd, interp, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz)
				interp[ph.p_filesz] = 0;
		}
	if (fd >= 0)
		close(fd);
	if (!*interp || strcmp(interp, path))
		return false;
	snprintf(proc, sizeof(proc), "/proc/%d/auxv", real_pid);
	fd = open(proc, O_RDONLY | O_CLOEXEC);
	Elf64_auxv_t av[64];
	ssize_t n = fd < 0 ? -1 : read(fd, av, sizeof(av));
	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; i < n / (ssize_t)sizeof(av[0]); i++)
		if (av[i].a_type == AT_BASE && av[i].a_un.a_val) {
			*base = av[i].a_un.a_val;
			return true;
		}
	return false;
}

/* The trace's copy of `path` as the followed process mapped it, or path
 * itself when the trace has none mapped now. */
static const char *trace_copy(struct gdb *g, const char *path, char *out, size_t cap)
{
	struct scribe_task t[256];
	int nt = scribe_replay_tasks(g->r, t, 256);
	int32_t real = 0;
	for (int i = 0; i < nt && i < 256 && !real; i++)
		if (t[i].pid == g->pid && t[i].state != SCRIBE_TASK_DEAD)
			real = t[i].real_pid;
	uint64_t base;
	/* the cheap cases first (gdb's probe, its separate debug files, the
	 * program and the loader at start-up): the scan reads the whole
	 * trace, some 0.5 s a GiB */
	size_t len = strlen(path);
	if (!real || path[0] != '/' || !strncmp(path, "/usr/lib/debug/", 15) ||
	    (len > 6 && !strcmp(path + len - 6, ".debug")) || mapped_at(real, 0, NULL, 0, path))
		return path;
	if (interp_base(real, path, &base) && mapped_at(real, base, out, cap, NULL))
		return out;
	if (!g->copies)
		g->copies = scan_copies(g->o->trace);
	for (size_t i = 0; g->copies && i < g->copies->n; i++) {
		const struct gdb_copy *c = &g->copies->v[i];
		if (c->pid == g->pid && !strcmp(c->path, path) &&
		    mapped_at(real, c->addr, out, cap, NULL))
			return out;
	}
	return path;
}

static int slot(struct gdb *g, long fd)
{
	return fd >= 0 && fd < GDB_MAXFD && g->fds[fd] >= 0 ? (int)fd : -1;
}

void gdb_vfile(struct gdb *g, const char *a)
{
	char path[4096];
	if (!strncmp(a, "setfs:", 6)) {
		gdb_sendf(&g->c, "F0");
	} else if (!strncmp(a, "open:", 5)) {
		size_t n = gdb_unhex(path, a + 5, sizeof(path) - 1);
		path[n] = 0;
		const char *comma = strchr(a + 5, ',');
		long flags = comma ? strtol(comma + 1, NULL, 16) : 0;
		if (flags & 3) {               /* O_WRONLY, O_RDWR */
			fail(g, EROFS);
			return;
		}
		int k = 0;
		while (k < GDB_MAXFD && g->fds[k] >= 0)
			k++;
		if (k == GDB_MAXFD) {
			fail(g, EMFILE);
			return;
		}
		char copy[4096];
		const char *file = trace_copy(g, path, copy, sizeof(copy));
		if (getenv("SCRIBE_GDB_TRACE"))
			fprintf(stderr, "vFile: %s -> %s\n", path, file);
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fail(g, errno);
			return;
		}
		g->fds[k] = fd;
		gdb_sendf(&g->c, "F%x", k);
	} else if (!strncmp(a, "pread:", 6)) {
		char *e;
		int k = slot(g, strtol(a + 6, &e, 16));
		size_t count = *e == ',' ? strtoul(e + 1, &e, 16) : 0;
		off_t off = *e == ',' ? (off_t)strtoull(e + 1, NULL, 16) : 0;
		if (k < 0) {
			fail(g, EBADF);
			return;
		}
		if (count > 16384)
			count = 16384;
		char buf[16384];
		ssize_t n = pread(g->fds[k], buf, count, off);
		if (n < 0)
			fail(g, errno);
		else
			send_data(g, buf, (size_t)n);
	} else if (!strncmp(a, "close:", 6)) {
		int k = slot(g, strtol(a + 6, NULL, 16));
		if (k < 0) {
			fail(g, EBADF);
			return;
		}
		close(g->fds[k]);
		g->fds[k] = -1;
		gdb_sendf(&g->c, "F0");
	} else if (!strncmp(a, "fstat:", 6)) {
		int k = slot(g, strtol(a + 6, NULL, 16));
		struct stat st;
		if (k < 0 || fstat(g->fds[k], &st) < 0) {
			fail(g, k < 0 ? EBADF : errno);
			return;
		}
		uint8_t f[64] = {0};        /* struct fio_stat, big-endian */
		put_be(f + 0, st.st_dev, 4);
		put_be(f + 4, st.st_ino, 4);
		put_be(f + 8, st.st_mode, 4);
		put_be(f + 12, st.st_nlink, 4);
		put_be(f + 16, st.st_uid, 4);
		put_be(f + 20, st.st_gid, 4);
		put_be(f + 24, st.st_rdev, 4);
		put_be(f + 28, (uint64_t)st.st_size, 8);
		put_be(f + 36, (uint64_t)st.st_blksize, 8);
		put_be(f + 44, (uint64_t)st.st_blocks, 8);
		put_be(f + 52, (uint64_t)st.st_atime, 4);
		put_be(f + 56, (uint64_t)st.st_mtime, 4);
		put_be(f + 60, (uint64_t)st.st_ctime, 4);
		send_data(g, f, sizeof(f));
	} else if (!strncmp(a, "readlink:", 9)) {
		size_t n = gdb_unhex(path, a + 9, sizeof(path) - 1);
		path[n] = 0;
		char to[4096];
		ssize_t len = readlink(path, to, sizeof(to));
		if (len < 0)
			fail(g, errno);
		else
			send_data(g, to, (size_t)len);
	} else {
		fail(g, EROFS);                /* pwrite, unlink: never */
	}
}
