/* fdtab_text.c -- the fd-table model's text: kinds, descriptions,
 * addresses, and HDR_FDS (the fds the first process started with: read
 * from /proc when recording, parsed back into the model). */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"
#include "syscalls/fdtab_int.h"

static const char *const type_names[FDT_NTYPES] = {
	[FDT_UNKNOWN] = "unknown", [FDT_FILE] = "file",         [FDT_DIR] = "dir",
	[FDT_PIPE] = "pipe",       [FDT_SOCKET] = "socket",     [FDT_EVENTFD] = "eventfd",
	[FDT_TIMERFD] = "timerfd", [FDT_SIGNALFD] = "signalfd", [FDT_EPOLL] = "epoll",
	[FDT_MEMFD] = "memfd",     [FDT_INOTIFY] = "inotify",   [FDT_PIDFD] = "pidfd",
	[FDT_OTHER] = "other",
};

const char *fdtab_type_name(enum fdt_type t)
{
	return (unsigned)t < FDT_NTYPES ? type_names[t] : "unknown";
}

enum fdt_type fdt_type_of(const char *name)
{
	for (int i = 0; i < FDT_NTYPES; i++)
		if (!strcmp(type_names[i], name))
			return (enum fdt_type)i;
	return FDT_UNKNOWN;
}

void fdtab_addr_text(const struct sockaddr_storage *a, socklen_t len, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN];
	buf[0] = 0;
	if (len < sizeof(sa_family_t))
		return;
	if (a->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)a;
		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		snprintf(buf, n, "%s:%u", ip, ntohs(s->sin_port));
	} else if (a->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)a;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		snprintf(buf, n, "[%s]:%u", ip, ntohs(s->sin6_port));
	} else if (a->ss_family == AF_UNIX) {
		const struct sockaddr_un *s = (const struct sockaddr_un *)a;
		size_t plen = len - offsetof(struct sockaddr_un, sun_path);
		plen = MIN(plen, sizeof(s->sun_path));
		if (plen && s->sun_path[0] == 0)   /* abstract */
			snprintf(buf, n, "@%.*s", (int)plen - 1, s->sun_path + 1);
		else
			snprintf(buf, n, "%.*s", (int)strnlen(s->sun_path, plen), s->sun_path);
	} else {
		snprintf(buf, n, "family %u", a->ss_family);
	}
}

static const char *sock_kind(const struct fdt_desc *d)
{
	bool inet = d->family == AF_INET || d->family == AF_INET6;
	if (d->family == AF_UNIX)
		return d->socktype == SOCK_DGRAM ? "unix-dgram" : d->socktype == SOCK_SEQPACKET
		                                                      ? "unix-seqpacket" : "unix";
	if (inet && d->socktype == SOCK_STREAM)
		return d->family == AF_INET ? "tcp" : "tcp6";
	if (inet && d->socktype == SOCK_DGRAM)
		return d->family == AF_INET ? "udp" : "udp6";
	return "socket";
}

void fdtab_describe(const struct fdt_desc *d, char *buf, size_t len)
{
	char l[160], p[160];
	switch (d->type) {
	case FDT_PIPE:
		snprintf(buf, len, "pipe:%llu (%s end)", (unsigned long long)d->pipe_id,
		         d->end ? "write" : "read");
		return;
	case FDT_SOCKET:
		fdtab_addr_text(&d->local, d->local_len, l, sizeof(l));
		fdtab_addr_text(&d->peer, d->peer_len, p, sizeof(p));
		if (d->pipe_id)
			snprintf(buf, len, "%s socketpair:%llu (end %d)", sock_kind(d),
			         (unsigned long long)d->pipe_id, d->end);
		else if (d->listening)
			snprintf(buf, len, "%s %s (listening)", sock_kind(d), l);
		else
			snprintf(buf, len, "%s %s%s%s", sock_kind(d), *l ? l : "?", *p ? " -> " : "", p);
		if (d->path && !d->family)     /* inherited: what readlink said */
			snprintf(buf, len, "%s", d->path);
		return;
	case FDT_EVENTFD:
		if (d->count_known)
			snprintf(buf, len, "eventfd (count %llu)", (unsigned long long)d->count);
		else
			snprintf(buf, len, "eventfd");
		return;
	case FDT_TIMERFD:
		snprintf(buf, len, "timerfd (clock %d, value %lld.%09ld, interval %lld.%09ld)",
		         d->clockid, (long long)d->it_value.tv_sec, d->it_value.tv_nsec,
		         (long long)d->it_interval.tv_sec, d->it_interval.tv_nsec);
		return;
	case FDT_SIGNALFD:
		snprintf(buf, len, "signalfd (mask %#llx)", (unsigned long long)d->sigmask);
		return;
	case FDT_EPOLL:
		snprintf(buf, len, "epoll (%zu registered)", d->nregs);
		return;
	case FDT_INOTIFY:
		snprintf(buf, len, "inotify (%zu watches)", d->nwatches);
		return;
	case FDT_PIDFD:
		snprintf(buf, len, "pidfd (pid %d)", d->pid);
		return;
	default:
		snprintf(buf, len, "%s%s", d->path ? d->path : fdtab_type_name(d->type),
		         d->deleted ? " (deleted)" : "");
	}
}

/* ---- HDR_FDS ------------------------------------------------------------- */

static enum fdt_type proc_type(const char *target, const struct stat *st)
{
	static const struct { const char *word; enum fdt_type t; } anon[] = {
		{ "[eventfd]", FDT_EVENTFD },   { "[timerfd]", FDT_TIMERFD },
		{ "[signalfd]", FDT_SIGNALFD }, { "[eventpoll]", FDT_EPOLL },
		{ "inotify", FDT_INOTIFY },     { "[pidfd]", FDT_PIDFD },
	};
	if (!strncmp(target, "pipe:", 5))
		return FDT_PIPE;
	if (!strncmp(target, "socket:", 7))
		return FDT_SOCKET;
	if (!strncmp(target, "/memfd:", 7))
		return FDT_MEMFD;
	if (!strncmp(target, "anon_inode:", 11)) {
		for (size_t i = 0; i < ARRAY_SIZE(anon); i++)
			if (strstr(target + 11, anon[i].word))
				return anon[i].t;
		return FDT_OTHER;
	}
	if (target[0] != '/')
		return FDT_OTHER;
	return S_ISDIR(st->st_mode) ? FDT_DIR : FDT_FILE;
}

static void fdinfo(int pid, int fd, long long *pos, unsigned *flags)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	FILE *f = fopen(path, "re");
	*pos = 0;
	*flags = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "pos:", 4))
			*pos = strtoll(line + 4, NULL, 10);
		else if (!strncmp(line, "flags:", 6))
			*flags = (unsigned)strtoul(line + 6, NULL, 8);
	}
	fclose(f);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

char *fdtab_read_proc(int pid, size_t *len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	DIR *dir = opendir(path);
	if (!dir)
		return NULL;
	int *fds = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(dir));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		fds = xgrow(fds, n, &cap, sizeof(*fds), 16);
		fds[n++] = atoi(e->d_name);
	}
	closedir(dir);
	qsort(fds, n, sizeof(*fds), cmp_int);
	struct buf out = { 0 };
	for (size_t i = 0; i < n; i++) {
		char target[4096] = "";
		struct stat st = { 0 };
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fds[i]);
		ssize_t tl = readlink(path, target, sizeof(target) - 1);
		if (tl < 0 || (stat(path, &st) < 0 && target[0] == '/'))
			continue;                      /* closed meanwhile */
		target[tl] = 0;
		for (char *c = target; *c; c++)
			if (*c == '\n')
				*c = '?';
		long long pos;
		unsigned flags;
		fdinfo(pid, fds[i], &pos, &flags);
		int same = fds[i];
		for (size_t j = 0; j < i && same == fds[i]; j++)
			if (syscall(SYS_kcmp, pid, pid, KCMP_FILE, fds[j], fds[i]) == 0)
				same = fds[j];
		char *line = xasprintf("%d %d %u %lld %s %d %s\n", fds[i],
		                       flags & O_CLOEXEC ? FD_CLOEXEC : 0, flags & ~(unsigned)O_CLOEXEC,
		                       pos, fdtab_type_name(proc_type(target, &st)), same, target);
		buf_put(&out, line, strlen(line));
		free(line);
	}
	free(fds);
	buf_put(&out, "", 1);
	*len = out.len - 1;
	return (char *)out.p;
}

void fdtab_inherit(struct fdtab *m, int tid, const char *text, size_t len)
{
	if (!text)
		return;
	pthread_mutex_lock(&m->mu);
	struct fdt_task *t = fdt_task_get(m, tid);
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - (text + off)) : len - off;
		char *line = xmalloc(ll + 1);
		memcpy(line, text + off, ll);
		line[ll] = 0;
		off += ll + 1;
		int fd, fdflags, same, n = 0;
		unsigned flags;
		long long pos;
		char type[16];
		if (sscanf(line, "%d %d %u %lld %15s %d %n", &fd, &fdflags, &flags, &pos, type, &same,
		           &n) < 6 || !n || fd < 0) {
			free(line);
			continue;
		}
		struct fdt_fd *s = same != fd ? fdt_lookup(t->tab, same) : NULL;
		struct fdt_desc *d = s ? s->desc : fdt_desc_new(m, fdt_type_of(type));
		if (!s) {
			d->flags = (int)flags;
			d->offset = pos;
			d->path = xstrdup(line + n);
		}
		fdt_install(t->tab, fd, d, fdflags);
		free(line);
	}
	/* ends of the same pipe (or socket) inode: one pipe */
	struct fdt_table *tb = t->tab;
	for (size_t i = 0; i < tb->n; i++) {
		struct fdt_desc *d = tb->fds[i].desc;
		if (d->type != FDT_PIPE || d->pipe_id)
			continue;
		d->pipe_id = m->next_pipe++;
		d->end = (d->flags & O_ACCMODE) == O_WRONLY;
		for (size_t j = i + 1; j < tb->n; j++) {
			struct fdt_desc *e = tb->fds[j].desc;
			if (e->type == FDT_PIPE && !e->pipe_id && e->path && d->path &&
			    !strcmp(e->path, d->path)) {
				e->pipe_id = d->pipe_id;
				e->end = (e->flags & O_ACCMODE) == O_WRONLY;
				if (e->end != d->end) {
					e->peer_desc = d->id;
					d->peer_desc = e->id;
				}
			}
		}
	}
	pthread_mutex_unlock(&m->mu);
}
