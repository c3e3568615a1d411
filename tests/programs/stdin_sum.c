/* stdin_sum: reads all of stdin, prints its length and a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned char buf[4096];
	uint64_t h = 1469598103934665603ULL, len = 0;
	long reads = 0;
	ssize_t n;
	while ((n = read(0, buf, sizeof buf)) > 0) {
		reads++;
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
		len += n;
	}
	if (n < 0) {
		perror("read");
		return 1;
	}
	printf("length %llu fnv1a %016llx reads>0 %d\n", (unsigned long long)len,
	       (unsigned long long)h, reads > 0);
	return 0;
}
