/* libtrace_rand: print 8 getrandom bytes in hex, then the first line of a
 * file (argv[1]): the program python/tests and the libtrace cases edit
 * the getrandom result of. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

int main(int argc, char **argv)
{
	unsigned char b[8];
	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		return 1;
	printf("random ");
	for (size_t i = 0; i < sizeof(b); i++)
		printf("%02x", b[i]);
	printf("\n");
	fflush(stdout);
	char line[256] = "";
	FILE *f = fopen(argc > 1 ? argv[1] : "/etc/hostname", "r");
	if (!f || !fgets(line, sizeof(line), f))
		return 2;
	fclose(f);
	printf("file %s", line);
	return 0;
}
