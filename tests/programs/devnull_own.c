/* devnull_own: writes to descriptors that are the same file as scribe's own
 * output but not the same open file.  It writes a line to its stdout, then
 * 20,000 single bytes to its own open of /dev/null, then (with a path
 * argument) a line to its own open of that path, which the test makes
 * scribe's stdout: only the stdout line is scribe's to show again. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char line[] = "to stdout\n";
	if (write(1, line, strlen(line)) != (ssize_t)strlen(line))
		return 1;
	int null = open("/dev/null", O_WRONLY);
	if (null < 0)
		return 2;
	long n = 0;
	for (int i = 0; i < 20000; i++)
		n += write(null, "x", 1);
	close(null);
	if (argc > 1) {
		int own = open(argv[1], O_WRONLY | O_APPEND);
		const char mine[] = "own open\n";
		if (own < 0 || write(own, mine, strlen(mine)) != (ssize_t)strlen(mine))
			return 3;
		close(own);
	}
	char done[64];
	snprintf(done, sizeof(done), "wrote %ld bytes to /dev/null\n", n);
	return write(1, done, strlen(done)) > 0 ? 0 : 4;
}
