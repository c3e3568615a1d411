/* fdtable.c -- a process with every common kind of fd, which prints its
 * own view of its fd table (readlink of /proc/self/fd/N, fdinfo's pos and
 * flags, and which lower fd shares its description, by kcmp) so that a
 * test can compare the recorded fd tables with it (python/tests/
 * test_fds.py).
 *
 *   fdtable DIR     files go in DIR; forks a child that moves a shared
 *                   offset and execs `fdtable --view` (a CLOEXEC file
 *                   and eventfd do not survive that), waits for it, then
 *                   prints its own view
 *   fdtable --view  prints its view and exits
 *
 * A view is one write: "VIEW pid=P\n" then one line per fd:
 *   "fd=N same=M pos=P flags=OCTAL cloexec=0|1 target=TEXT\n".
 * After it, a second write "ADDR ..." gives the sockets' addresses (the
 * getsockname/getpeername calls come after the view, not before). */
#include <stdarg.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char out[1 << 16];
static size_t outlen;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + outlen, sizeof(out) - outlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		outlen += (size_t)n < sizeof(out) - outlen ? (size_t)n : sizeof(out) - outlen - 1;
}

static void flush_out(void)
{
	size_t off = 0;
	while (off < outlen) {
		ssize_t n = write(1, out + off, outlen - off);
		if (n <= 0)
			exit(3);
		off += (size_t)n;
	}
	outlen = 0;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void view(void)
{
	int fds[256], n = 0;
	for (int fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			fds[n++] = fd;
	put("VIEW pid=%d\n", getpid());
	for (int i = 0; i < n; i++) {
		char path[64], target[512] = "", line[128];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
		ssize_t l = readlink(path, target, sizeof(target) - 1);
		target[l > 0 ? l : 0] = 0;
		long long pos = 0;
		unsigned long flags = 0;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fds[i]);
		FILE *f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "pos:", 4))
				pos = strtoll(line + 4, NULL, 10);
			else if (!strncmp(line, "flags:", 6))
				flags = strtoul(line + 6, NULL, 8);
		}
		if (f)
			fclose(f);
		int same = fds[i];
		for (int j = 0; j < i && same == fds[i]; j++)
			if (syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, fds[j], fds[i]) == 0)
				same = fds[j];
		put("fd=%d same=%d pos=%lld flags=%lo cloexec=%d target=%s\n", fds[i], same, pos,
		    flags & ~(unsigned long)O_CLOEXEC, (flags & O_CLOEXEC) != 0, target);
	}
	flush_out();
	/* the sockets' addresses, learned only now */
	put("ADDR pid=%d\n", getpid());
	for (int i = 0; i < n; i++) {
		struct sockaddr_in a, b;
		socklen_t al = sizeof(a), bl = sizeof(b);
		if (getsockname(fds[i], (struct sockaddr *)&a, &al) < 0 || a.sin_family != AF_INET)
			continue;
		char ls[64] = "", ps[64] = "", ip[32];
		inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip));
		snprintf(ls, sizeof(ls), "%s:%u", ip, ntohs(a.sin_port));
		if (getpeername(fds[i], (struct sockaddr *)&b, &bl) == 0) {
			inet_ntop(AF_INET, &b.sin_addr, ip, sizeof(ip));
			snprintf(ps, sizeof(ps), "%s:%u", ip, ntohs(b.sin_port));
		}
		put("fd=%d local=%s peer=%s\n", fds[i], ls, ps);
	}
	flush_out();
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--view")) {
		view();
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: fdtable DIR | fdtable --view\n");
		return 2;
	}
	char path[4096];
	/* a file read and written, its offset moved, and a dup sharing it */
	snprintf(path, sizeof(path), "%s/data", argv[1]);
	int a = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (a < 0)
		die("open data");
	if (write(a, "0123456789abcdef", 16) != 16)
		die("write");
	lseek(a, 3, SEEK_SET);
	char b4[4];
	if (read(a, b4, 4) != 4)            /* at 7 */
		die("read");
	int b = dup(a);
	/* appended to: its position is the end of the file */
	snprintf(path, sizeof(path), "%s/log", argv[1]);
	int lg = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (lg < 0 || write(lg, "one\n", 4) != 4 || write(lg, "two two\n", 8) != 8)
		die("log");
	/* closed at the exec */
	snprintf(path, sizeof(path), "%s/secret", argv[1]);
	int sec = open(path, O_RDONLY | O_CREAT, 0600);
	if (sec < 0 || fcntl(sec, F_SETFD, FD_CLOEXEC) < 0)
		die("secret");
	/* a directory, partly listed */
	int dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	char dents[4096];
	if (dir < 0 || syscall(SYS_getdents64, dir, dents, sizeof(dents)) <= 0)
		die("dir");
	/* a pipe with bytes in it, a socketpair */
	int p[2], sp[2];
	if (pipe(p) < 0 || write(p[1], "abc", 3) != 3)
		die("pipe");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0)
		die("socketpair");
	/* a loopback TCP server, a client connected to it, the accepted end */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 5) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl) < 0)
		die("listen");
	int cl = socket(AF_INET, SOCK_STREAM, 0);
	if (cl < 0 || connect(cl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	int ac = accept(ls, NULL, NULL);
	if (ac < 0)
		die("accept");
	int fl = fcntl(cl, F_GETFL);
	if (fcntl(cl, F_SETFL, fl | O_NONBLOCK) < 0)
		die("nonblock");
	/* an eventfd (closed at exec), an epoll set */
	int ev = eventfd(7, EFD_CLOEXEC);
	uint64_t five = 5;
	if (ev < 0 || write(ev, &five, 8) != 8)
		die("eventfd");
	int ep = epoll_create1(0);
	struct epoll_event e1 = { .events = EPOLLIN, .data.u64 = 42 };
	struct epoll_event e2 = { .events = EPOLLIN | EPOLLET, .data.u64 = 43 };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e1) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e2) < 0)
		die("epoll");
	/* dup2 onto a high number, then an fd closed again */
	if (dup2(sp[0], 40) != 40)
		die("dup2");
	close(sp[0]);
	(void)b;

	pid_t c = fork();
	if (c < 0)
		die("fork");
	if (c == 0) {
		lseek(a, 9, SEEK_SET);       /* the parent's a and b see it too */
		close(ls);
		char *args[] = { argv[0], "--view", NULL };
		execv("/proc/self/exe", args);
		_exit(127);
	}
	int st;
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		die("child");
	view();
	return 0;
}
