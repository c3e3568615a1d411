/* mktree.c -- generate the cp-r workload's input: DIRS directories
 * (d000, d001, ...) of FILES files each (f000, f001, ...), every file
 * 0..MAXBYTES bytes of pseudo-random content.  The sizes and bytes come
 * from a fixed-seed generator, so the tree is the same every time.
 *
 *   mktree DIR [DIRS [FILES [MAXBYTES]]]     default 200 100 4096
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)          /* xorshift64* */
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mktree DIR [DIRS [FILES [MAXBYTES]]]\n");
		return 2;
	}
	const char *top = argv[1];
	long dirs = argc > 2 ? strtol(argv[2], NULL, 0) : 200;
	long files = argc > 3 ? strtol(argv[3], NULL, 0) : 100;
	long max = argc > 4 ? strtol(argv[4], NULL, 0) : 4096;
	char *buf = malloc(max + 8);
	char path[4096];
	long long total = 0;

	if (!buf || max < 0 || (mkdir(top, 0755) && errno != EEXIST)) {
		perror(top);
		return 1;
	}
	for (long d = 0; d < dirs; d++) {
		snprintf(path, sizeof path, "%s/d%03ld", top, d);
		if (mkdir(path, 0755) && errno != EEXIST) {
			perror(path);
			return 1;
		}
		for (long f = 0; f < files; f++) {
			long n = (long)(next() % (uint64_t)(max + 1));
			for (long i = 0; i < n; i += 8) {
				uint64_t v = next();
				memcpy(buf + i, &v, 8);
			}
			snprintf(path, sizeof path, "%s/d%03ld/f%03ld", top, d, f);
			FILE *fp = fopen(path, "w");
			if (!fp || fwrite(buf, 1, n, fp) != (size_t)n || fclose(fp)) {
				perror(path);
				return 1;
			}
			total += n;
		}
	}
	printf("%ld directories, %ld files, %lld bytes\n", dirs, dirs * files, total);
	return 0;
}
