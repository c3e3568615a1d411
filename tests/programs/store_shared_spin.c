/* store_shared_spin: maps the file argv[1] (made here) MAP_SHARED, which
 * gives replay a scratch copy of it, writes to it, then computes for about
 * argv[2] x 10^8 loop turns; prints the sum and the mapped bytes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) != 0) {
		perror(argv[1]);
		return 1;
	}
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	snprintf(p, 4096, "shared page");
	printf("mapped\n");
	fflush(stdout);
	volatile unsigned long sum = 0;
	unsigned long n = strtoul(argv[2], NULL, 10) * 100000000ul;
	for (unsigned long i = 0; i < n; i++)
		sum += i ^ (sum >> 3);
	printf("sum %lu, page '%s'\n", sum, p);
	return 0;
}
