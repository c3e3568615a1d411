/* record_fdstate.c -- the facts a batch of buffered calls needs for the
 * recorded fd tables (syscalls/fdtab.h).
 *
 * A buffered call's record keeps its fd and result, not its open flags
 * nor fcntl's command, and no call's result says where an O_APPEND write
 * left the file position.  So at each flush the tracer reads, for every
 * fd a buffered open, accept, fcntl or write of the batch touched, its
 * state from /proc (fdinfo: position, flags) and appends it to the batch
 * as SB_REC_FDSTATE records (preload/sbuf.h), after the calls: the state
 * at the end of the batch, which is where the model applies it. */
#include "record/record_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FACTS_MAX 64

static int read_fdinfo(pid_t tid, int fd, int64_t *pos, long *flags);

/* A copy of the tracee's fd in the tracer, or -1. */
static int grab_fd(pid_t pid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -1;
	int f = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	return f;
}

/* The socket's local and peer addresses (lengths 0 when it has none). */
static bool socknames(pid_t pid, int fd, struct sockaddr_storage a[2], socklen_t len[2])
{
	int f = grab_fd(pid, fd);
	if (f < 0)
		return false;
	len[0] = len[1] = sizeof(a[0]);
	if (getsockname(f, (struct sockaddr *)&a[0], &len[0]) < 0)
		len[0] = 0;
	if (getpeername(f, (struct sockaddr *)&a[1], &len[1]) < 0)
		len[1] = 0;
	close(f);
	len[0] = MIN(len[0], (socklen_t)sizeof(a[0]));
	len[1] = MIN(len[1], (socklen_t)sizeof(a[1]));
	return true;
}

/* The addresses the kernel gave a socket (an ephemeral port at connect,
 * an accepted connection's two ends) are in no call's memory unless the
 * program asked: the recorded fd tables need them (go-live rebuilds
 * disconnected sockets with the same names). */
void rec_sockname(struct task *t, struct ev_syscall *s)
{
	static __thread struct sockaddr_storage a[2];
	int fd;
	if ((s->nr == SYS_write || s->nr == SYS_writev) && s->ret > 0) {
		/* where an O_APPEND write left the position: only fdinfo says */
		int64_t pos;
		long flags;
		if (read_fdinfo(t->tid, (int)s->args[0], &pos, &flags) == 0 && (flags & O_APPEND)) {
			s->flags |= SYSF_FDPOS;
			s->fdpos = (uint64_t)pos;
		}
		return;
	}
	if (s->nr == SYS_connect && (s->ret == 0 || s->ret == -EINPROGRESS))
		fd = (int)s->args[0];
	else if ((s->nr == SYS_accept || s->nr == SYS_accept4) && s->ret >= 0)
		fd = (int)s->ret;
	else
		return;
	socklen_t len[2];
	if (!socknames(t->proc->pid, fd, a, len))
		return;
	s->flags |= SYSF_SOCKNAME;
	s->sockname[0] = (struct ev_bytes){ (const uint8_t *)&a[0], len[0] };
	s->sockname[1] = (struct ev_bytes){ (const uint8_t *)&a[1], len[1] };
}

struct want {
	int fd;
	int dup_of;     /* it was a fcntl's result: maybe a dup of this fd */
	bool self;      /* a call made or used it as an fd */
	bool sock;      /* an accept made it: its addresses too */
};

static void want(struct want *w, int *n, int fd, int dup_of, bool sock)
{
	int i = 0;
	while (i < *n && w[i].fd != fd)
		i++;
	if (i == *n) {
		if (*n == FACTS_MAX || fd < 0)
			return;
		w[(*n)++] = (struct want){ fd, -1, false, false };
	}
	if (dup_of >= 0)
		w[i].dup_of = dup_of;
	else
		w[i].self = true;
	w[i].sock |= sock;
}

static int read_fdinfo(pid_t tid, int fd, int64_t *pos, long *flags)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	*pos = 0;
	*flags = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "pos:", 4))
			*pos = strtoll(line + 4, NULL, 10);
		else if (!strncmp(line, "flags:", 6))
			*flags = strtol(line + 6, NULL, 8);
	}
	fclose(f);
	return 0;
}

void rec_fd_facts(struct task *t, const uint8_t *recs, uint32_t len, struct buf *out)
{
	static const uint8_t pad[8];
	struct want w[FACTS_MAX];
	int n = 0;
	for (uint32_t off = 0; off + sizeof(struct sb_rec) <= len;) {
		struct sb_rec rec;
		if (!sb_rec_at(recs, len, off, &rec))
			break;
		off += (uint32_t)sb_rec_stride(rec.size);
		uint32_t nr = rec.nr & ~(SB_REC_FILE | SB_REC_MAP);
		switch (nr) {
		case SYS_open:
		case SYS_openat:
			if (rec.ret >= 0)
				want(w, &n, (int)rec.ret, -1, false);
			break;
		case SYS_accept:
		case SYS_accept4:
			if (rec.ret >= 0)
				want(w, &n, (int)rec.ret, -1, true);
			break;
		case SYS_fcntl:
			want(w, &n, (int)rec.arg0, -1, false);
			if (rec.ret >= 0 && rec.ret != (int64_t)rec.arg0 && rec.ret < 1 << 20)
				want(w, &n, (int)rec.ret, (int)rec.arg0, false);
			break;
		case SYS_write:
		case SYS_writev:
			if (rec.ret > 0)
				want(w, &n, (int)rec.arg0, -1, false);
			break;
		}
	}
	for (int i = 0; i < n; i++) {
		struct sb_fdstate st = { 0, 0, -1 };
		long flags = 0;
		struct sb_rec rec = { .nr = SB_REC_FDSTATE, .size = sizeof(rec) + sizeof(st),
		                      .arg0 = (uint64_t)w[i].fd };
		if (read_fdinfo(t->tid, w[i].fd, &st.pos, &flags) < 0) {
			rec.ret = -EBADF;
		} else {
			rec.ret = flags & ~(long)O_CLOEXEC;
			st.fdflags = flags & O_CLOEXEC ? FD_CLOEXEC : 0;
		}
		/* fcntl's result was an fd (F_DUPFD) only if it is the
		 * same description now, most likely */
		if (w[i].dup_of >= 0 && rec.ret >= 0 &&
		    syscall(SYS_kcmp, t->tid, t->tid, KCMP_FILE, w[i].dup_of, w[i].fd) == 0)
			st.dup_of = w[i].dup_of;
		else if (!w[i].self)
			continue;        /* F_GETFL's flags, say, not an fd */
		struct sockaddr_storage a[2];
		socklen_t al[2] = { 0, 0 };
		if (w[i].sock && rec.ret >= 0 && socknames(t->proc->pid, w[i].fd, a, al))
			rec.size += (uint32_t)(8 + al[0] + al[1]);
		buf_put(out, &rec, sizeof(rec));
		buf_put(out, &st, sizeof(st));
		if (rec.size > sizeof(rec) + sizeof(st)) {
			uint32_t lens[2] = { al[0], al[1] };
			buf_put(out, lens, sizeof(lens));
			buf_put(out, &a[0], al[0]);
			buf_put(out, &a[1], al[1]);
		}
		buf_put(out, pad, sb_rec_stride(rec.size) - rec.size);
	}
}
