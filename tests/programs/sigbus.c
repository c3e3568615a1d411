/* sigbus: touching a file mapping beyond the file's end raises SIGBUS; handler siglongjmps out. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static void *bus_addr;
static int bus_code;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	bus_addr = si->si_addr;
	bus_code = si->si_code;
	siglongjmp(env, 1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sigbus FILE (a file shorter than one page)\n");
		return 2;
	}
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	char *m = mmap(NULL, 3 * pg, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	printf("first bytes: %.20s\n", m);
	for (volatile int p = 1; p < 3; p++) {
		if (sigsetjmp(env, 1) == 0) {
			volatile char c = m[p * pg + 10];
			printf("page %d: read %d, no fault\n", p, c);
		} else {
			printf("page %d: SIGBUS si_code %d (BUS_ADRERR=%d) si_addr %p offset %ld\n", p,
			       bus_code, BUS_ADRERR, bus_addr, (long)((char *)bus_addr - m));
		}
	}
	return 0;
}
