/* unix_fds: Unix-domain sockets within a process and with forked children.
 * A stream socketpair (data both ways, SO_PEERCRED, getsockname, shutdown)
 * and a datagram socketpair (message boundaries, MSG_TRUNC, EAGAIN); a
 * child fills an unlinked temporary file with random bytes and passes its
 * descriptor with SCM_RIGHTS and its SCM_CREDENTIALS to the parent, which
 * has SO_PASSCRED on and reads the file through the descriptor it got; a
 * named socket server (bind, listen, accept4 with SOCK_CLOEXEC and
 * SOCK_NONBLOCK) that a child connects to.  Prints every result, the pids
 * and credentials received and the file's checksum, so two runs differ. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define FILE_BYTES 4096

static void peercred(const char *what, int fd)
{
	struct ucred uc = { 0 };
	socklen_t l = sizeof uc;
	int r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &l);
	printf("%s SO_PEERCRED: %d %s len %u pid %d uid %u gid %u\n", what, r, en(r),
	       (unsigned)l, (int)uc.pid, (unsigned)uc.uid, (unsigned)uc.gid);
}

static int stream_pair(void)
{
	int sv[2];
	int r = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	printf("stream socketpair: %d %s fds %d %d\n", r, en(r), sv[0], sv[1]);
	if (r)
		return 1;
	char msg[64], buf[64];
	int n = snprintf(msg, sizeof msg, "ping from %d", (int)getpid());
	ssize_t w = write(sv[0], msg, n), got = read(sv[1], buf, sizeof buf);
	printf("stream wrote %zd read %zd: '%.*s'\n", w, got, (int)(got > 0 ? got : 0), buf);
	w = send(sv[1], "pong", 4, 0);
	got = recv(sv[0], buf, sizeof buf, 0);
	printf("stream sent %zd received %zd: '%.*s'\n", w, got, (int)(got > 0 ? got : 0), buf);
	peercred("stream pair", sv[1]);
	printf("self pid %d\n", (int)getpid());
	struct sockaddr_un sa;
	socklen_t sl = sizeof sa;
	r = getsockname(sv[0], (struct sockaddr *)&sa, &sl);
	printf("stream getsockname: %d len %u family %d\n", r, (unsigned)sl, sa.sun_family);
	int type = 0;
	socklen_t tl = sizeof type;
	r = getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &tl);
	printf("stream SO_TYPE: %d type %d (SOCK_STREAM %d)\n", r, type, SOCK_STREAM);
	r = shutdown(sv[0], SHUT_WR);
	got = read(sv[1], buf, sizeof buf);
	printf("stream shutdown %d, then read %zd\n", r, got);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static int dgram_pair(void)
{
	int sv[2];
	int r = socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	printf("dgram socketpair: %d %s fds %d %d\n", r, en(r), sv[0], sv[1]);
	if (r)
		return 1;
	unsigned char out[100], in[256];
	if (getrandom(out, sizeof out, 0) != sizeof out)
		return 1;
	static const size_t sizes[] = { 1, 10, 100 };
	for (size_t i = 0; i < 3; i++)
		printf("dgram send %zu: %zd\n", sizes[i], send(sv[0], out, sizes[i], 0));
	for (size_t i = 0; i < 3; i++) {
		ssize_t n = recv(sv[1], in, sizeof in, 0);
		printf("dgram recv %zd checksum %08x match %d\n", n, fnv(in, n > 0 ? n : 0),
		       n > 0 && memcmp(in, out, n) == 0);
	}
	ssize_t n = recv(sv[1], in, sizeof in, MSG_DONTWAIT);
	printf("dgram recv when empty: %zd %s\n", n, en(n));
	send(sv[0], out, 50, 0);
	struct iovec iov = { in, 8 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	n = recvmsg(sv[1], &mh, 0);
	printf("dgram recvmsg of 50 into 8: %zd flags %s checksum %08x\n", n,
	       mh.msg_flags & MSG_TRUNC ? "MSG_TRUNC" : "-", fnv(in, 8));
	close(sv[0]);
	close(sv[1]);
	return 0;
}

/* Child: a file of random bytes, unlinked, sent with its credentials. */
static int fd_sender(int sock)
{
	char path[] = "/tmp/scribe-unix-fds-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || unlink(path) != 0)
		return 1;
	unsigned char data[FILE_BYTES];
	if (getrandom(data, sizeof data, 0) != sizeof data ||
	    write(fd, data, sizeof data) != sizeof data || lseek(fd, 0, SEEK_SET) != 0)
		return 2;
	char text[32];
	int len = snprintf(text, sizeof text, "checksum %08x", fnv(data, sizeof data));
	struct iovec iov = { text, len };
	union {
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	memset(&ctl, 0, sizeof ctl);
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	c = CMSG_NXTHDR(&mh, c);
	struct ucred uc = { getpid(), getuid(), getgid() };
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof uc);
	memcpy(CMSG_DATA(c), &uc, sizeof uc);
	return sendmsg(sock, &mh, 0) == len ? 0 : 3;
}

static void show_cmsgs(struct msghdr *mh, int *fd, struct ucred *uc)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			memcpy(fd, CMSG_DATA(c), sizeof *fd);
			printf("SCM_RIGHTS len %zu fd %d\n", (size_t)c->cmsg_len, *fd);
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			memcpy(uc, CMSG_DATA(c), sizeof *uc);
			printf("SCM_CREDENTIALS len %zu pid %d uid %u gid %u\n", (size_t)c->cmsg_len,
			       (int)uc->pid, (unsigned)uc->uid, (unsigned)uc->gid);
		} else {
			printf("cmsg level %d type %d\n", c->cmsg_level, c->cmsg_type);
		}
	}
}

/* Parent: the file descriptor and the credentials, then the file. */
static void fd_receiver(int sock, pid_t child)
{
	char text[64] = "";
	struct iovec iov = { text, sizeof text - 1 };
	union {
		char buf[256];
		struct cmsghdr align;
	} ctl;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	printf("receiver poll: %#x\n", wait_in(sock));
	ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	printf("recvmsg: %zd %s '%s' controllen %zu flags %#x\n", n, en(n), text,
	       (size_t)mh.msg_controllen, mh.msg_flags);
	int fd = -1;
	struct ucred uc = { 0 };
	show_cmsgs(&mh, &fd, &uc);
	printf("credentials are the child's: %d (child %d)\n", uc.pid == child, (int)child);
	struct stat st;
	int r = fstat(fd, &st);
	printf("passed fd: fstat %d %s size %lld regular %d cloexec %d\n", r, en(r),
	       (long long)st.st_size, S_ISREG(st.st_mode), fcntl(fd, F_GETFD) == FD_CLOEXEC);
	unsigned char data[FILE_BYTES];
	ssize_t total = 0, k;
	while (total < FILE_BYTES && (k = read(fd, data + total, FILE_BYTES - total)) > 0)
		total += k;
	char mine[32];
	snprintf(mine, sizeof mine, "checksum %08x", fnv(data, total));
	printf("read %zd bytes through the passed fd, %s, same as the child's %d\n", total, mine,
	       strcmp(mine, text) == 0);
	close(fd);
}

static int pass_fd(void)
{
	int sv[2], one = 1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 1;
	int r = setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	printf("SO_PASSCRED: %d %s\n", r, en(r));
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		close(sv[0]);
		_exit(fd_sender(sv[1]));
	}
	close(sv[1]);
	fd_receiver(sv[0], p);
	int st = 0;
	pid_t w = waitpid(p, &st, 0);
	printf("fd sender: waitpid %d, exit %d\n", w == p, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(sv[0]);
	return 0;
}

/* Child: connects to the named socket, says hello, waits for the reply. */
static int client(const char *path)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	strcpy(sa.sun_path, path);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) != 0)
		return 1;
	char msg[64], buf[64];
	int n = snprintf(msg, sizeof msg, "hello from %d", (int)getpid());
	if (write(s, msg, n) != n)
		return 2;
	ssize_t got = read(s, buf, sizeof buf);
	return got > 8 && memcmp(buf, "welcome ", 8) == 0 ? 0 : 3;
}

static void serve(int ls, pid_t child)
{
	printf("listener poll: %#x\n", wait_in(ls));
	struct sockaddr_un peer;
	socklen_t pl = sizeof peer;
	int s = accept4(ls, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC | SOCK_NONBLOCK);
	printf("accept4: %s peer len %u family %d\n", en(s), (unsigned)pl, peer.sun_family);
	if (s < 0)
		return;
	printf("accepted fd: O_NONBLOCK %d FD_CLOEXEC %d\n", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0,
	       fcntl(s, F_GETFD) == FD_CLOEXEC);
	peercred("accepted", s);
	printf("client pid %d\n", (int)child);
	char buf[64];
	printf("server poll: %#x\n", wait_in(s));
	ssize_t n = read(s, buf, sizeof buf);
	printf("server read %zd: '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
	char reply[64];
	int len = snprintf(reply, sizeof reply, "welcome %d", (int)child);
	printf("server wrote %zd\n", write(s, reply, len));
	close(s);
}

static int named_socket(void)
{
	char dir[] = "/tmp/scribe-unix-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/sock", dir);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int r = bind(ls, (struct sockaddr *)&sa, sizeof sa);
	printf("named bind: %d %s\n", r, en(r));
	r = listen(ls, 4);
	printf("named listen: %d %s\n", r, en(r));
	struct sockaddr_un me;
	socklen_t ml = sizeof me;
	r = getsockname(ls, (struct sockaddr *)&me, &ml);
	printf("named getsockname: %d len %u same path %d\n", r, (unsigned)ml,
	       strcmp(me.sun_path, sa.sun_path) == 0);
	int early = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	printf("accept4 before any client: %d %s\n", early, en(early));
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0)
		_exit(client(sa.sun_path));
	serve(ls, p);
	int st = 0;
	pid_t w = waitpid(p, &st, 0);
	printf("client: waitpid %d, exit %d\n", w == p, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(ls);
	int u = unlink(sa.sun_path);
	printf("cleanup: unlink %d rmdir %d\n", u, rmdir(dir));
	return 0;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (stream_pair() || dgram_pair() || pass_fd() || named_socket())
		return 1;
	return 0;
}
