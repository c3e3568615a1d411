/* unsupported: calls process_madvise (440), a system call scribe's table
 * does not know, three times with a bad pidfd (harmless: EBADF), and
 * prints each return value and errno. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif

int main(void)
{
	for (int i = 0; i < 3; i++) {
		errno = 0;
		long r = syscall(SYS_process_madvise, -1, NULL, 0, 0, 0);
		int e = errno;
		printf("process_madvise #%d = %ld errno %d (%s)\n", i, r, e, e ? strerror(e) : "none");
	}
	return 0;
}
