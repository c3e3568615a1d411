/* setuid_layout: what a setuid or setgid program sees of its credentials
 * and of its address space, which the kernel lays out at random for such
 * an exec (it clears ADDR_NO_RANDOMIZE): the ids, AT_SECURE, where its
 * image, its stack, brk, libc, the vDSO and an mmap are, and the brk
 * moving (malloc of small blocks).  Replay must print the same. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int local = 1;
	printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
	       (int)getegid());
	printf("secure %lu\n", getauxval(AT_SECURE));
	printf("main %p\n", (void *)main);
	printf("stack %p\n", (void *)&local);
	printf("printf %p\n", (void *)printf);
	printf("vdso %#lx\n", getauxval(AT_SYSINFO_EHDR));
	void *brk0 = sbrk(0);
	char *p = NULL;
	for (int i = 0; i < 2000; i++) {      /* about 200 KiB: brk moves */
		p = malloc(100);
		if (!p)
			return 1;
		p[0] = (char)i;
	}
	printf("brk %p -> %p, last %p\n", brk0, sbrk(0), (void *)p);
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap %p\n", m);
	return m == MAP_FAILED;
}
