/* sigmap_mmap: exercise mappings widely, as a program's own test suite
 * would: anonymous and file-backed, private and shared mappings of the
 * same file, mremap growing in place and moving, madvise(MADV_DONTNEED),
 * msync, a mapped file resized (ftruncate) both ways, /dev/zero private
 * and shared, and a mapping made by a forked child.  Prints what each
 * step saw; the file's name and content come from the clock, so two runs
 * differ. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define PG 4096

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static unsigned sum(const void *p, size_t n)
{
	return fnv(p, n);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char path[256];
	snprintf(path, sizeof path, "%s/sigmap-mmap-%ld.dat", dir, (long)ts.tv_nsec);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("open");
	unlink(path);
	char buf[4 * PG];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(ts.tv_nsec >> (i % 24)) + (char)i;
	if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
		die("write");
	printf("file content %08x\n", sum(buf, sizeof buf));

	/* anonymous, private */
	char *anon = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mmap anon");
	memset(anon, 'a', 8 * PG);
	/* madvise(MADV_DONTNEED) on private anonymous memory: zero again */
	madvise(anon + 2 * PG, 2 * PG, MADV_DONTNEED);
	printf("anon after DONTNEED: %d %d %d\n", anon[0], anon[2 * PG], anon[4 * PG]);

	/* the same file, shared and private */
	char *sh = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *pv = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (sh == MAP_FAILED || pv == MAP_FAILED)
		die("mmap file");
	printf("shared %08x private %08x\n", sum(sh, 4 * PG), sum(pv, 4 * PG));
	sh[10] = 'S';                   /* seen by the private one: not COWed yet */
	pv[PG + 10] = 'P';              /* COW: not seen by the shared one */
	printf("private sees shared write: %c; shared sees private write: %d\n", pv[10],
	       sh[PG + 10] == 'P');
	if (msync(sh, 4 * PG, MS_SYNC) != 0)
		die("msync");
	char rb[16];
	pread(fd, rb, 16, 0);
	printf("file after msync: %c\n", rb[10]);
	/* MADV_DONTNEED on a private file mapping: back to the file's bytes */
	madvise(pv + PG, PG, MADV_DONTNEED);
	printf("private after DONTNEED: %d (file has %d)\n", pv[PG + 10], sh[PG + 10]);

	/* mremap: grow in place where there is room, then move */
	char *g = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(g + PG, PG);
	memset(g, 'g', PG);
	char *g2 = mremap(g, PG, 2 * PG, 0);
	printf("grown in place: %s, %c %d\n", g2 == g ? "yes" : "no", g2 == MAP_FAILED ? '?' : g2[0],
	       g2 == MAP_FAILED ? -1 : g2[PG]);
	char *block = mmap(g + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
	                   -1, 0);
	char *g3 = mremap(g, 2 * PG, 16 * PG, MREMAP_MAYMOVE);
	if (g3 == MAP_FAILED)
		die("mremap");
	printf("moved: %s, %c, tail %d\n", g3 != g ? "yes" : "no", g3[10], g3[15 * PG]);
	g3[15 * PG] = 'z';
	if (block != MAP_FAILED)
		munmap(block, PG);
	/* a shared file mapping moved by mremap still shares */
	char *sh2 = mremap(sh, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
	if (sh2 == MAP_FAILED)
		die("mremap shared");
	sh2[20] = 'M';
	pread(fd, rb, 16, 16);
	printf("moved shared writes the file: %c\n", rb[4]);

	/* resize the mapped file: grow, then shrink below the mapping */
	if (ftruncate(fd, 6 * PG) != 0)
		die("ftruncate");
	char *big = mmap(NULL, 6 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (big == MAP_FAILED)
		die("mmap big");
	big[5 * PG] = 'B';
	pread(fd, rb, 1, 5 * PG);       /* a buffered call after the new page */
	printf("grown file %d %c %c\n", big[4 * PG + 1], big[5 * PG], rb[0]);
	if (ftruncate(fd, 2 * PG) != 0)
		die("ftruncate shrink");
	printf("after shrink, first page %08x\n", sum(big, 2 * PG));
	munmap(big, 6 * PG);
	ftruncate(fd, 4 * PG);

	/* /dev/zero: private is anonymous memory, shared is shared memory */
	int z = open("/dev/zero", O_RDWR);
	char *zp = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	char *zs = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
	if (zp == MAP_FAILED || zs == MAP_FAILED)
		die("mmap /dev/zero");
	zp[1] = 'z';
	printf("/dev/zero private %d %c\n", zp[0], zp[1]);
	close(z);

	/* a child maps the file itself and writes it; the parent's mapping
	 * and the /dev/zero shared page see its writes */
	pid_t pid = fork();
	if (pid == 0) {
		char *c = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (c == MAP_FAILED)
			_exit(3);
		c[3 * PG] = 'C';
		zs[0] = 'K';
		msync(c, 4 * PG, MS_SYNC);
		munmap(c, 4 * PG);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child exited %d; parent sees %c in the file and %c in /dev/zero shared\n",
	       WEXITSTATUS(st), sh2[3 * PG], zs[0]);
	printf("final shared %08x private %08x grown %08x\n", sum(sh2, 4 * PG), sum(pv, 4 * PG),
	       sum(g3, 16 * PG));
	return 0;
}
