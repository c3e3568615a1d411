/* writes.c -- system-call-bound benchmark: open /dev/null and write 16
 * bytes to it N times (default 100000), one write(2) per call, then print
 * how many bytes were written.  Measures the per-system-call cost of
 * recording and replaying.
 *
 *   writes [COUNT]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 100000;
	char buf[16] = "0123456789abcde";
	long total = 0;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		perror("open /dev/null");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		ssize_t r = write(fd, buf, sizeof buf);
		if (r != (ssize_t)sizeof buf) {
			perror("write");
			return 1;
		}
		total += r;
	}
	close(fd);
	printf("wrote %ld bytes in %ld writes\n", total, n);
	return 0;
}
