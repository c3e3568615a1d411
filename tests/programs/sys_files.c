/* sys_files: file system calls no other test makes, in a fresh directory
 * DIR/files-PID (DIR is argv[1], default /tmp), removed at the end.
 *   - sendfile, splice, tee and copy_file_range copy random data between
 *     files and pipes; each copy is read back and compared;
 *   - fallocate (and a punched hole), sync_file_range, posix_fadvise;
 *   - flock and fcntl record locks held by a forked child: F_GETLK
 *     reports the child's pid; F_SETLKW waits for the child to let go;
 *     open file description locks (F_OFD_SETLK/F_OFD_GETLK);
 *   - statfs/fstatfs; extended attributes (every plain, f* and l* call),
 *     or their ENOTSUP/EOPNOTSUPP answer where the file system has none;
 *   - mknod of a FIFO a child writes through, mknodat of one two threads
 *     open an end each of; link, symlink, readlink,
 *     linkat, symlinkat, readlinkat; utimensat then stat's times;
 *   - inotify events for files created, written, renamed and deleted;
 *   - mincore, mlock/munlock, msync of a MAP_SHARED file mapping,
 *     membarrier.
 * Every call's result (and errno name) is printed with the interesting
 * fields of what it wrote; the pid, inode numbers, times, random data and
 * F_GETLK's pid differ from run to run. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define DATA 10000

static char dir[4096];
static unsigned char data[DATA];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static const char *at(const char *name)
{
	static char paths[4][4096 + 64];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	return p;
}

static int make_file(const char *name, const void *buf, size_t len)
{
	int fd = open(at(name), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		die(name);
	return fd;
}

/* Does file NAME hold exactly data[off, off+len)? */
static const char *holds(const char *name, size_t off, size_t len)
{
	static unsigned char buf[DATA + 1];
	int fd = open(at(name), O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len && memcmp(buf, data + off, len) == 0 ? "yes" : "no";
}

static void copies(void)
{
	int src = make_file("src", data, DATA);
	int dst = open(at("sent"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	off_t off = 1000;
	ssize_t n = sendfile(dst, src, &off, 4000);
	printf("sendfile: %s offset now %lld, copy same %s\n", res(n), (long long)off,
	       holds("sent", 1000, 4000));
	close(dst);

	int p[2], q[2];
	if (pipe(p) || pipe(q))
		die("pipe");
	loff_t in = 2000, out = 0;
	dst = open(at("spliced"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int dst2 = open(at("teed"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	n = splice(src, &in, p[1], NULL, 5000, 0);
	printf("splice file->pipe: %s offset now %lld\n", res(n), (long long)in);
	n = tee(p[0], q[1], 5000, 0);
	printf("tee: %s\n", res(n));
	n = splice(p[0], NULL, dst, &out, 5000, 0);
	printf("splice pipe->file: %s offset now %lld, copy same %s\n", res(n), (long long)out,
	       holds("spliced", 2000, 5000));
	n = splice(q[0], NULL, dst2, NULL, 5000, 0);
	printf("splice tee'd pipe->file: %s, copy same %s\n", res(n), holds("teed", 2000, 5000));
	close(dst);
	close(dst2);
	close(p[0]), close(p[1]), close(q[0]), close(q[1]);

	in = 500, out = 0;
	dst = open(at("copied"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	n = copy_file_range(src, &in, dst, &out, 9000, 0);
	printf("copy_file_range: %s offsets now %lld %lld, copy same %s\n", res(n),
	       (long long)in, (long long)out, holds("copied", 500, 9000));
	close(dst);
	close(src);
}

static void space(void)
{
	int fd = open(at("space"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct stat st;
	int r = fallocate(fd, 0, 0, 65536);
	fstat(fd, &st);
	printf("fallocate 64k: %s size %lld blocks %lld\n", res(r), (long long)st.st_size,
	       (long long)st.st_blocks);
	r = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 32768);
	fstat(fd, &st);
	printf("fallocate punch 32k: %s size %lld blocks %lld\n", res(r), (long long)st.st_size,
	       (long long)st.st_blocks);
	if (pwrite(fd, data, 4096, 0) != 4096)
		die("pwrite");
	r = sync_file_range(fd, 0, 4096, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
	                    SYNC_FILE_RANGE_WAIT_AFTER);
	printf("sync_file_range: %s\n", res(r));
	printf("posix_fadvise SEQUENTIAL: %d DONTNEED: %d bad advice: %s\n",
	       posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL),
	       posix_fadvise(fd, 0, 4096, POSIX_FADV_DONTNEED),
	       strerrorname_np(posix_fadvise(fd, 0, 0, 12345)));
	close(fd);
}

/* A child that takes a lock with TAKE(fd), says so on `ready`, and lets
 * go (by exiting) when `go` has something to read. */
static pid_t locker(int (*take)(int fd), int ready[2], int go[2])
{
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p > 0)
		return p;
	int fd = open(at("lockfile"), O_RDWR);
	char c = take(fd) == 0 ? 'y' : 'n';
	if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
		_exit(1);
	_exit(0);
}

static int take_flock(int fd)
{
	return flock(fd, LOCK_EX);
}

static int take_posix(int fd)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 20 };
	return fcntl(fd, F_SETLK, &l);
}

static const char *lock_type(short t)
{
	return t == F_WRLCK ? "F_WRLCK" : t == F_RDLCK ? "F_RDLCK" : t == F_UNLCK ? "F_UNLCK" : "?";
}

static int child_status(pid_t p)
{
	int st;
	if (waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void flocks(int ready[2], int go[2])
{
	int fd = open(at("lockfile"), O_RDWR);
	char c;
	pid_t p = locker(take_flock, ready, go);
	if (read(ready[0], &c, 1) != 1)
		die("read");
	printf("flock: child took LOCK_EX: %c\n", c);
	printf("flock: LOCK_EX|LOCK_NB while the child holds it: %s\n",
	       res(flock(fd, LOCK_EX | LOCK_NB)));
	/* The child lets go only once this is written; LOCK_EX waits. */
	if (write(go[1], "g", 1) != 1)
		die("write");
	printf("flock: LOCK_EX waiting for the child: %s\n", res(flock(fd, LOCK_EX)));
	printf("flock: child exited %d\n", child_status(p));
	printf("flock: LOCK_SH|LOCK_NB after: %s\n", res(flock(fd, LOCK_SH | LOCK_NB)));
	printf("flock: LOCK_UN: %s\n", res(flock(fd, LOCK_UN)));
	close(fd);
}

static void posix_locks(int ready[2], int go[2])
{
	int fd = open(at("lockfile"), O_RDWR);
	char c;
	pid_t p = locker(take_posix, ready, go);
	if (read(ready[0], &c, 1) != 1)
		die("read");
	printf("fcntl: child %d took F_WRLCK 10+20: %c\n", (int)p, c);
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100 };
	int r = fcntl(fd, F_GETLK, &l);
	printf("fcntl: F_GETLK: %s type %s start %lld len %lld pid %d (the child: %s)\n", res(r),
	       lock_type(l.l_type), (long long)l.l_start, (long long)l.l_len, (int)l.l_pid,
	       l.l_pid == p ? "yes" : "no");
	l = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 25, .l_len = 1 };
	printf("fcntl: F_SETLK F_RDLCK 25+1: %s\n", res(fcntl(fd, F_SETLK, &l)));
	/* The child lets go only once this is written; F_SETLKW waits. */
	if (write(go[1], "g", 1) != 1)
		die("write");
	l = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	printf("fcntl: F_SETLKW whole file: %s\n", res(fcntl(fd, F_SETLKW, &l)));
	printf("fcntl: child exited %d\n", child_status(p));
	l = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	r = fcntl(fd, F_GETLK, &l);
	printf("fcntl: F_GETLK on my own lock: %s type %s\n", res(r), lock_type(l.l_type));
	close(fd);
}

static void ofd_locks(void)
{
	int a = open(at("lockfile"), O_RDWR), b = open(at("lockfile"), O_RDWR);
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 50 };
	printf("fcntl: F_OFD_SETLK on one open: %s\n", res(fcntl(a, F_OFD_SETLK, &l)));
	l = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 40, .l_len = 20 };
	int r = fcntl(b, F_OFD_GETLK, &l);
	printf("fcntl: F_OFD_GETLK from another: %s type %s start %lld len %lld pid %d\n", res(r),
	       lock_type(l.l_type), (long long)l.l_start, (long long)l.l_len, (int)l.l_pid);
	l = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 40, .l_len = 20 };
	printf("fcntl: F_OFD_SETLK from another: %s\n", res(fcntl(b, F_OFD_SETLK, &l)));
	close(a);
	l = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 40, .l_len = 20 };
	printf("fcntl: F_OFD_SETLK after the first closed: %s\n", res(fcntl(b, F_OFD_SETLK, &l)));
	close(b);
}

static void locks(void)
{
	close(make_file("lockfile", data, 100));
	int ready[2], go[2];
	if (pipe(ready) || pipe(go))
		die("pipe");
	flocks(ready, go);
	posix_locks(ready, go);
	ofd_locks();
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

static void fs_stats(void)
{
	struct statfs a, b;
	int r = statfs(dir, &a);
	printf("statfs: %s type %#lx bsize %ld namelen %ld blocks>0 %s\n", res(r),
	       (unsigned long)a.f_type, (long)a.f_bsize, (long)a.f_namelen,
	       a.f_blocks > 0 ? "yes" : "no");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	r = fstatfs(fd, &b);
	printf("fstatfs: %s same type %s same fsid %s\n", res(r), a.f_type == b.f_type ? "yes" : "no",
	       memcmp(&a.f_fsid, &b.f_fsid, sizeof a.f_fsid) ? "no" : "yes");
	close(fd);
	printf("statfs missing: %s\n", res(statfs(at("missing/x"), &a)));
}

/* The names in a listxattr buffer, comma-separated. */
static void print_names(const char *what, ssize_t n, const char *buf)
{
	printf("xattr: %s: %s names", what, res(n));
	for (ssize_t i = 0; i < n; i += strlen(buf + i) + 1)
		printf(" %s", buf + i);
	printf("\n");
}

static void xattr_plain(const char *path, const char *value)
{
	char buf[256];
	ssize_t n = getxattr(path, "user.scribe", NULL, 0);
	printf("xattr: getxattr size: %s\n", res(n));
	n = getxattr(path, "user.scribe", buf, sizeof buf);
	printf("xattr: getxattr: %s value %.*s\n", res(n), n > 0 ? (int)n : 0, buf);
	printf("xattr: setxattr XATTR_CREATE again: %s\n",
	       res(setxattr(path, "user.scribe", value, 4, XATTR_CREATE)));
	printf("xattr: listxattr size: %s\n", res(listxattr(path, NULL, 0)));
	print_names("listxattr", listxattr(path, buf, sizeof buf), buf);
	printf("xattr: removexattr: %s\n", res(removexattr(path, "user.scribe")));
	printf("xattr: getxattr removed: %s\n", res(getxattr(path, "user.scribe", buf, sizeof buf)));
}

static void xattr_fd(const char *path, const char *value)
{
	char buf[256];
	int fd = open(path, O_RDWR);
	printf("xattr: fsetxattr: %s\n", res(fsetxattr(fd, "user.f", value, 8, 0)));
	ssize_t n = fgetxattr(fd, "user.f", buf, sizeof buf);
	printf("xattr: fgetxattr: %s value %.*s\n", res(n), n > 0 ? (int)n : 0, buf);
	print_names("flistxattr", flistxattr(fd, buf, sizeof buf), buf);
	printf("xattr: fremovexattr: %s\n", res(fremovexattr(fd, "user.f")));
	printf("xattr: fremovexattr again: %s\n", res(fremovexattr(fd, "user.f")));
	close(fd);
}

static void xattr_l(const char *path, const char *value)
{
	char buf[256];
	printf("xattr: lsetxattr: %s\n", res(lsetxattr(path, "user.l", value + 8, 8, 0)));
	ssize_t n = lgetxattr(path, "user.l", buf, sizeof buf);
	printf("xattr: lgetxattr: %s value %.*s\n", res(n), n > 0 ? (int)n : 0, buf);
	print_names("llistxattr", llistxattr(path, buf, sizeof buf), buf);
	printf("xattr: lgetxattr too small: %s\n", res(lgetxattr(path, "user.l", buf, 1)));
	printf("xattr: lremovexattr: %s\n", res(lremovexattr(path, "user.l")));
}

static void xattrs(void)
{
	char value[33];
	for (int i = 0; i < 16; i++)
		snprintf(value + 2 * i, 3, "%02x", data[100 + i]);
	const char *path = at("attrs");
	close(make_file("attrs", data, 10));
	int r = setxattr(path, "user.scribe", value, 32, XATTR_CREATE);
	if (r != 0 && (errno == ENOTSUP || errno == EOPNOTSUPP)) {
		printf("xattr: not supported here: setxattr %s\n", res(r));
		printf("xattr: getxattr %s\n", res(getxattr(path, "user.scribe", value, 32)));
		int fd = open(path, O_RDWR);
		printf("xattr: fsetxattr %s\n", res(fsetxattr(fd, "user.f", value, 8, 0)));
		printf("xattr: llistxattr %s\n", res(llistxattr(path, value, 32)));
		close(fd);
		return;
	}
	printf("xattr: setxattr: %s value %s\n", res(r), value);
	xattr_plain(path, value);
	xattr_fd(path, value);
	xattr_l(path, value);
}

static void fifo(void)
{
	const char *path = at("fifo");
	long r = syscall(SYS_mknod, path, S_IFIFO | 0600, 0);
	struct stat st;
	stat(path, &st);
	printf("mknod fifo: %s is a FIFO %s\n", res(r), S_ISFIFO(st.st_mode) ? "yes" : "no");
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		int fd = open(path, O_WRONLY);
		char msg[64];
		int len = snprintf(msg, sizeof msg, "hello from %d", (int)getpid());
		_exit(fd >= 0 && write(fd, msg, len) == len ? 0 : 1);
	}
	int fd = open(path, O_RDONLY);
	char buf[64], *end = buf;
	ssize_t n;
	while (fd >= 0 && end < buf + sizeof buf - 1 && (n = read(fd, end, buf + sizeof buf - 1 - end)) > 0)
		end += n;
	*end = 0;
	int st_child = child_status(p);
	printf("fifo: read '%s' (from the child: %s), child exited %d\n", buf,
	       atoi(buf + 11) == p ? "yes" : "no", st_child);
	close(fd);
}

static void *fifo_reader(void *arg)
{
	char *buf = arg;
	int fd = open(at("fifo2"), O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, 63);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	return NULL;
}

/* Both ends of a FIFO opened by two threads: each open waits for the
 * other, so the first must not keep its siblings from running. */
static void fifo_threads(void)
{
	char got[64], sent[64];
	printf("mknodat fifo: %s\n", res(mknodat(AT_FDCWD, at("fifo2"), S_IFIFO | 0600, 0)));
	pthread_t t;
	if (pthread_create(&t, NULL, fifo_reader, got))
		die("pthread_create");
	int fd = open(at("fifo2"), O_WRONLY);
	int len = snprintf(sent, sizeof sent, "%02x%02x%02x%02x", data[300], data[301], data[302],
	                   data[303]);
	ssize_t n = write(fd, sent, len);
	close(fd);
	pthread_join(t, NULL);
	printf("fifo between threads: wrote %s, the reader got '%s' (same: %s)\n", res(n), got,
	       strcmp(got, sent) ? "no" : "yes");
}

static void links(void)
{
	struct stat a, b;
	close(make_file("orig", "contents", 8));
	int r = link(at("orig"), at("hard"));
	stat(at("orig"), &a), stat(at("hard"), &b);
	printf("link: %s inode %llu nlink %lu same inode %s\n", res(r), (unsigned long long)a.st_ino,
	       (unsigned long)a.st_nlink, a.st_ino == b.st_ino ? "yes" : "no");
	printf("link existing: %s\n", res(link(at("orig"), at("hard"))));
	printf("symlink: %s\n", res(symlink("orig", at("soft"))));
	char buf[256];
	ssize_t n = readlink(at("soft"), buf, sizeof buf);
	printf("readlink: %s '%.*s'\n", res(n), n > 0 ? (int)n : 0, buf);
	printf("readlink not a link: %s\n", res(readlink(at("orig"), buf, sizeof buf)));
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	printf("symlinkat: %s\n", res(symlinkat("hard", d, "soft2")));
	n = readlinkat(d, "soft2", buf, sizeof buf);
	printf("readlinkat: %s '%.*s'\n", res(n), n > 0 ? (int)n : 0, buf);
	r = linkat(d, "soft2", d, "hard2", AT_SYMLINK_FOLLOW);
	stat(at("hard2"), &b);
	printf("linkat AT_SYMLINK_FOLLOW: %s nlink %lu same inode %s\n", res(r),
	       (unsigned long)b.st_nlink, a.st_ino == b.st_ino ? "yes" : "no");
	r = linkat(d, "soft", d, "soft3", 0);
	lstat(at("soft3"), &b);
	printf("linkat of the link itself: %s a symlink %s\n", res(r), S_ISLNK(b.st_mode) ? "yes" : "no");
	close(d);
}

static void times_(void)
{
	const char *path = at("orig");
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1200000000, 987654321 } };
	struct stat st;
	int r = utimensat(AT_FDCWD, path, ts, 0);
	stat(path, &st);
	printf("utimensat: %s atime %lld.%09ld mtime %lld.%09ld\n", res(r), (long long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	r = utimensat(AT_FDCWD, path, ts, 0);
	stat(path, &st);
	printf("utimensat now: %s atime %lld.%09ld mtime %lld.%09ld\n", res(r),
	       (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec,
	       st.st_mtim.tv_nsec);
	printf("utimensat missing: %s\n", res(utimensat(AT_FDCWD, at("missing"), ts, 0)));
	int fd = open(path, O_RDONLY);
	ts[0] = (struct timespec){ 1100000000, 5 };
	ts[1].tv_nsec = UTIME_OMIT;
	r = futimens(fd, ts);
	fstat(fd, &st);
	printf("futimens: %s atime %lld.%09ld\n", res(r), (long long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec);
	close(fd);
}

static const char *event_name(uint32_t mask)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ IN_CREATE, "IN_CREATE" }, { IN_MODIFY, "IN_MODIFY" },
		{ IN_CLOSE_WRITE, "IN_CLOSE_WRITE" }, { IN_MOVED_FROM, "IN_MOVED_FROM" },
		{ IN_MOVED_TO, "IN_MOVED_TO" }, { IN_DELETE, "IN_DELETE" },
		{ IN_ATTRIB, "IN_ATTRIB" }, { IN_IGNORED, "IN_IGNORED" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (mask & names[i].bit)
			return names[i].name;
	return "other";
}

static void print_events(int fd, int wd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(fd, buf, sizeof buf);
	printf("inotify: read %s\n", res(n));
	uint32_t cookie = 0;
	for (char *p = buf; n > 0 && p < buf + n;) {
		struct inotify_event *e = (struct inotify_event *)p;
		printf("inotify: %s %s%s\n", event_name(e->mask), e->len ? e->name : "(the directory)",
		       e->wd == wd ? "" : " (other watch)");
		if (e->mask & IN_MOVED_FROM)
			cookie = e->cookie;
		else if (e->mask & IN_MOVED_TO)
			printf("inotify: rename cookies match %s\n", e->cookie == cookie ? "yes" : "no");
		p += sizeof *e + e->len;
	}
}

static void inotify(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int wd = inotify_add_watch(fd, dir, IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM |
	                           IN_MOVED_TO | IN_DELETE);
	printf("inotify: init1 %s add_watch %s\n", fd >= 0 ? "ok" : res(fd), res(wd));
	char buf[16];
	printf("inotify: read with nothing queued: %s\n", res(read(fd, buf, sizeof buf)));
	close(make_file("f1", data, 100));
	if (rename(at("f1"), at("f2")) || unlink(at("f2")))
		die("rename");
	print_events(fd, wd);
	printf("inotify: add_watch missing: %s\n", res(inotify_add_watch(fd, at("missing"), IN_CREATE)));
	printf("inotify: rm_watch: %s\n", res(inotify_rm_watch(fd, wd)));
	print_events(fd, wd);
	close(fd);
}

/* A blocking read on an inotify descriptor while a child makes the file. */
static void inotify_wait(void)
{
	int fd = inotify_init1(IN_CLOEXEC);
	int wd = inotify_add_watch(fd, dir, IN_CREATE);
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		int f = open(at("from-child"), O_WRONLY | O_CREAT, 0600);
		_exit(f >= 0 ? 0 : 1);
	}
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(fd, buf, sizeof buf);
	struct inotify_event *e = (struct inotify_event *)buf;
	printf("inotify: blocking read %s: %s %s%s, child exited %d\n", res(n),
	       n > 0 ? event_name(e->mask) : "-", n > 0 && e->len ? e->name : "-",
	       n > 0 && e->wd == wd ? "" : " (other watch)", child_status(p));
	close(fd);
}

static void memory(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("mmap");
	m[0] = m[2 * page] = 1;
	unsigned char vec[4];
	int r = mincore(m, 4 * page, vec);
	printf("mincore: %s resident %d%d%d%d\n", res(r), vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
	printf("mlock: %s\n", res(mlock(m + page, page)));
	r = mincore(m, 4 * page, vec);
	printf("mincore after mlock: %s resident %d%d%d%d\n", res(r), vec[0] & 1, vec[1] & 1,
	       vec[2] & 1, vec[3] & 1);
	printf("munlock: %s\n", res(munlock(m + page, page)));
	munmap(m, 4 * page);
	printf("mincore unmapped: %s\n", res(mincore(m, page, vec)));
	long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	printf("membarrier QUERY: %s private expedited %s\n", res(q),
	       q > 0 && (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ? "yes" : "no");
	printf("membarrier REGISTER_PRIVATE_EXPEDITED: %s\n",
	       res(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0)));
	printf("membarrier PRIVATE_EXPEDITED: %s\n",
	       res(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)));
}

/* Writes through a MAP_SHARED mapping, msync, reads back with pread. */
static void shared_file(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(at("mapped"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, page))
		die("mapped");
	char *m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	for (int i = 0; i < 16; i++)
		snprintf(m + 2 * i, 3, "%02x", data[200 + i]);
	printf("msync MS_SYNC: %s\n", res(msync(m, page, MS_SYNC)));
	printf("msync MS_INVALIDATE|MS_ASYNC: %s\n", res(msync(m, page, MS_ASYNC | MS_INVALIDATE)));
	printf("msync unaligned: %s\n", res(msync(m + 1, page, MS_SYNC)));
	char buf[33] = "";
	ssize_t n = pread(fd, buf, 32, 0);
	printf("msync: pread %s '%s' same as the mapping %s\n", res(n), buf,
	       memcmp(buf, m, 32) ? "no" : "yes");
	munmap(m, page);
	close(fd);
}

static void cleanup(void)
{
	static const char *names[] = {
		"src", "sent", "spliced", "teed", "copied", "space", "lockfile", "attrs", "fifo",
		"fifo2", "orig", "hard", "soft", "soft2", "hard2", "soft3", "mapped",
		"from-child",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(at(names[i]));
	if (rmdir(dir))
		die("rmdir");
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof dir, "%s/files-%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
	if (mkdir(dir, 0700))
		die(dir);
	if (getrandom(data, sizeof data, 0) != sizeof data)
		die("getrandom");
	struct stat st;
	stat(dir, &st);
	printf("pid %d dir inode %llu data %02x%02x%02x%02x\n", (int)getpid(),
	       (unsigned long long)st.st_ino, data[0], data[1], data[2], data[3]);
	/* A thread and a file mapping before the first child: a child's exit
	 * reaches the program on replay whenever its replay ends, and a
	 * SIGCHLD there (not part of the recording) still upsets replay in
	 * a process with threads and while it maps a file. */
	fifo_threads();
	shared_file();
	copies();
	space();
	locks();
	fs_stats();
	xattrs();
	fifo();
	links();
	times_();
	inotify();
	inotify_wait();
	memory();
	cleanup();
	printf("done\n");
	return 0;
}
