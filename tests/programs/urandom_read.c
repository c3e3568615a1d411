/* urandom_read: reads BYTES bytes of /dev/urandom in reads of 64 KiB
 * (default 3 MiB) and prints one line per read with a running checksum,
 * then the total.  The random bytes make the trace big (and
 * incompressible) fast: chunks are cut at 1 MiB. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long long want = argc > 1 ? atoll(argv[1]) : 3 << 20;
	static unsigned char buf[64 << 10];
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0) {
		perror("/dev/urandom");
		return 1;
	}
	long long total = 0;
	uint64_t sum = 0;
	for (int i = 0; total < want; i++) {
		size_t n = want - total < (long long)sizeof buf ? (size_t)(want - total) : sizeof buf;
		ssize_t r = read(fd, buf, n);
		if (r <= 0) {
			perror("read");
			return 1;
		}
		for (ssize_t k = 0; k < r; k++)
			sum = sum * 31 + buf[k];
		total += r;
		printf("read %d: %zd bytes, sum %016llx\n", i, r, (unsigned long long)sum);
		fflush(stdout);
	}
	printf("total %lld\n", total);
	return 0;
}
