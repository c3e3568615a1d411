/* random: getrandom bytes and bytes read from /dev/urandom, in hex. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

static void hex(const char *what, const unsigned char *p, long n)
{
	printf("%s %ld:", what, n);
	for (long i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(void)
{
	unsigned char buf[64];
	ssize_t n = getrandom(buf, 32, 0);
	hex("getrandom", buf, n);
	n = getrandom(buf, sizeof buf, GRND_NONBLOCK);
	hex("getrandom-nonblock", buf, n);
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0) {
		perror("open /dev/urandom");
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		n = read(fd, buf, 16 + 8 * i);
		hex("urandom", buf, n);
	}
	close(fd);
	return 0;
}
