/* fanotify_eperm: a file watcher that prefers fanotify and falls back to
 * inotify when fanotify_init is refused.  Under scribe fanotify_init is
 * always refused with EPERM (it watches the whole file system from outside
 * the program), as for an unprivileged program; run natively as root it
 * succeeds.  The program then marks DIR (argv[1], default /tmp) with
 * fanotify_mark on whatever fanotify_init returned, or watches it with
 * inotify, creates DIR/fan-PID and reports what it saw. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "testutil.h"

static void with_inotify(const char *dir, const char *file)
{
	int fd = inotify_init1(IN_CLOEXEC);
	int wd = inotify_add_watch(fd, dir, IN_CREATE);
	printf("fallback: inotify_add_watch %s\n", res(wd));
	close(open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(fd, buf, sizeof buf);
	struct inotify_event *e = (struct inotify_event *)buf;
	printf("fallback: read %s: %s %s\n", res(n),
	       n > 0 && (e->mask & IN_CREATE) ? "IN_CREATE" : "?",
	       n > 0 && e->len && !strcmp(e->name, strrchr(file, '/') + 1) ? "fan-PID" : "?");
	close(fd);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	char file[4096];
	snprintf(file, sizeof file, "%s/fan-%d", dir, (int)getpid());
	printf("pid %d\n", (int)getpid());
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	printf("fanotify_init: %s\n", fd >= 0 ? "a descriptor" : res(fd));
	int r = fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, dir);
	printf("fanotify_mark: %s\n", res(r));
	if (fd < 0 && errno == EBADF)
		with_inotify(dir, file);
	unlink(file);
	return 0;
}
