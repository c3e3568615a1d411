/* segv_mprotect: writing a PROT_READ page faults; the handler mprotects it read-write and returns. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *page;
static long pagesz;
static void *fault_addr;
static int fault_code, faults;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	faults++;
	char *base = (char *)((unsigned long)si->si_addr & ~(pagesz - 1));
	if (mprotect(base, pagesz, PROT_READ | PROT_WRITE) != 0)
		_exit(3);
}

int main(void)
{
	pagesz = sysconf(_SC_PAGESIZE);
	page = mmap(NULL, 2 * pagesz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	printf("page %p\n", (void *)page);
	page[123] = 'a';        /* fault, handler unprotects, write retried */
	printf("fault 1 at %p (offset %ld) si_code %d\n", fault_addr,
	       (long)((char *)fault_addr - page), fault_code);
	page[pagesz + 7] = 'b'; /* second page */
	printf("fault 2 at %p (offset %ld) si_code %d\n", fault_addr,
	       (long)((char *)fault_addr - page), fault_code);
	page[124] = 'c';        /* no fault now */
	printf("faults %d values %c %c %c\n", faults, page[123], page[124], page[pagesz + 7]);
	/* a PROT_NONE page: a read fault, SEGV_ACCERR too */
	mprotect(page, pagesz, PROT_NONE);
	volatile char v = page[5];
	printf("fault 3 at offset %ld si_code %d read %d faults %d\n",
	       (long)((char *)fault_addr - page), fault_code, v, faults);
	return 0;
}
