/* sigmap_mapwrite: a file mapped MAP_SHARED must show what write(2) and
 * pwrite(2) (and writev, pwritev) put in the file after it was mapped --
 * by the same process, through another descriptor, by a child forked
 * before the mapping (another memory domain) and by one forked after it,
 * neither of which maps it.
 * The bytes come from the clock, so two runs differ. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define PG 4096

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char path[256], msg[64];
	snprintf(path, sizeof path, "%s/sigmap-mapwrite-%ld.dat", dir, (long)ts.tv_nsec);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 2 * PG) != 0) {
		perror(path);
		return 2;
	}
	/* a child forked before the mapping (its own memory domain) writes
	 * the file once the parent has mapped it */
	int go[2];
	if (pipe(go) != 0)
		return 2;
	pid_t early = fork();
	if (early == 0) {
		char b, em[64];
		int k = snprintf(em, sizeof em, "early %ld", (long)ts.tv_nsec / 5);
		if (read(go[0], &b, 1) == 1)
			pwrite(fd, em, k, 3500);
		_exit(0);
	}
	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	/* write() at the descriptor's position */
	int n = snprintf(msg, sizeof msg, "write %ld", (long)ts.tv_nsec);
	write(fd, msg, n);
	printf("after write: '%.*s'\n", n, m);
	/* pwrite() at an offset, through another descriptor of the file */
	int fd2 = open(path, O_WRONLY);
	n = snprintf(msg, sizeof msg, "pwrite %ld", (long)ts.tv_nsec / 7);
	pwrite(fd2, msg, n, PG + 100);
	printf("after pwrite: '%.*s'\n", n, m + PG + 100);
	/* writev and pwritev: the bytes of several buffers */
	struct iovec v[2] = { { "vec-", 4 }, { msg, (size_t)n } };
	lseek(fd, 500, SEEK_SET);
	writev(fd, v, 2);
	pwritev(fd2, v, 2, PG + 500);
	printf("after writev: '%.*s' pwritev: '%.*s'\n", n + 4, m + 500, n + 4, m + PG + 500);
	write(go[1], "g", 1);
	waitpid(early, NULL, 0);
	printf("after the early child: '%.16s'\n", m + 3500);
	/* a child that never maps the file writes it */
	pid_t pid = fork();
	if (pid == 0) {
		char cm[64];
		int k = snprintf(cm, sizeof cm, "child %ld", (long)ts.tv_nsec / 3);
		int cfd = open(path, O_WRONLY);
		pwrite(cfd, cm, k, 3000);
		lseek(cfd, 200, SEEK_SET);
		write(cfd, "seek+write", 10);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("after the child: '%.20s' '%.10s'\n", m + 3000, m + 200);
	printf("sum %08x\n", fnv((unsigned char *)m, 2 * PG));
	unlink(path);
	return 0;
}
