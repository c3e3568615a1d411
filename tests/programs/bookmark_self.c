/* bookmark_self: a program that bookmarks itself three times, with a
 * path call on /dev/scribe/bookmark/NAME each (access, faccessat, stat:
 * all three buffered by the syscall buffer, traced without), and checks
 * that each fails with ENOENT as it does without scribe.  `stage` is N
 * just before bookmark N; a traced write between them ends each buffered
 * batch, so the bookmarks fall in different batches. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile int stage;

static void report(const char *what, int rc)
{
	printf("%s %d %s\n", what, rc, rc < 0 ? strerror(errno) : "ok");
	fflush(stdout);
}

int main(void)
{
	struct stat st;
	printf("stage %p\n", (void *)&stage);
	fflush(stdout);
	stage = 1;
	report("first", access("/dev/scribe/bookmark/first", F_OK));
	stage = 2;
	report("second", faccessat(AT_FDCWD, "/dev/scribe/bookmark/second", F_OK, 0));
	stage = 3;
	report("third", stat("/dev/scribe/bookmark/third", &st));
	stage = 4;
	report("bad", access("/dev/scribe/bookmark/bad name", F_OK));
	return 0;
}
