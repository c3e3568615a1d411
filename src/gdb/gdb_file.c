/* gdb_file.c -- vFile: gdb reads the program's files through the server
 * (its sysroot "target:"), read-only.  The program itself is the trace's
 * own copy (qXfer:exec-file names the file the replay runs). */
#include "gdb/gdb_int.h"

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
		int fd = open(path, O_RDONLY | O_CLOEXEC);
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
