/* read_ref: reads a file a package installed (argv[1]) with read() in
 * 64 KiB pieces, then with pread64() at scattered offsets, and a file of
 * its own (argv[2], written here with random bytes, so not a system file)
 * the same ways; prints a hash of every piece and a random number.  With
 * the syscall buffer on, the trace keeps the system file's reads as
 * references to files/ and the other file's as bytes. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

static uint64_t fnv(const unsigned char *p, ssize_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (ssize_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static void read_file(const char *path)
{
	static unsigned char buf[65536];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	ssize_t n;
	long total = 0, pieces = 0;
	uint64_t h = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		h ^= fnv(buf, n) + (uint64_t)pieces++;
		total += n;
	}
	for (long off = 1000; off < total; off += total / 7 + 1) {
		n = pread(fd, buf, 3000, off);
		h ^= fnv(buf, n) * 3;
	}
	close(fd);
	printf("%s: %ld bytes in %ld reads, hash %016llx\n", path, total, pieces,
	       (unsigned long long)h);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: read_ref SYSTEM-FILE OWN-FILE\n");
		return 2;
	}
	unsigned char own[200000];
	if (getrandom(own, sizeof(own), 0) != (ssize_t)sizeof(own))
		return 1;
	FILE *f = fopen(argv[2], "w");
	if (!f || fwrite(own, 1, sizeof(own), f) != sizeof(own) || fclose(f))
		return 1;
	read_file(argv[1]);
	read_file(argv[2]);
	printf("random %016llx\n", (unsigned long long)fnv(own, 64));
	return 0;
}
