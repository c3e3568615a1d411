/* store_mapfile: maps each file named (PROT_READ, MAP_PRIVATE), so the
 * recording keeps it as an object, and prints its size and a checksum. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
			perror(argv[i]);
			return 1;
		}
		const unsigned char *p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		unsigned long sum = 0;
		for (off_t k = 0; k < st.st_size; k++)
			sum = sum * 31 + p[k];
		printf("%s: %lld bytes, sum %lu\n", argv[i], (long long)st.st_size, sum);
		munmap((void *)p, st.st_size);
		close(fd);
	}
	return 0;
}
