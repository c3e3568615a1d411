/* catfile: prints a file's size (fstat and stat) and its contents. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: catfile FILE\n");
		return 2;
	}
	struct stat st;
	if (stat(argv[1], &st) != 0) {
		perror("stat");
		return 1;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	struct stat fst;
	fstat(fd, &fst);
	printf("size %lld fsize %lld mtime %lld.%09ld\n", (long long)st.st_size,
	       (long long)fst.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	char buf[1024];
	ssize_t n, total = 0;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		fwrite(buf, 1, n, stdout);
		total += n;
	}
	close(fd);
	printf("\nread %zd bytes\n", total);
	return 0;
}
