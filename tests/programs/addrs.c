/* addrs: stack, heap, mmap and libc addresses (ASLR) replay as recorded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(void)
{
	int local = 1;
	char *small = malloc(32);
	char *big = malloc(1 << 20);     /* large enough to be mmapped */
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!small || !big || m == MAP_FAILED) {
		perror("alloc");
		return 1;
	}
	printf("stack %p\n", (void *)&local);
	printf("heap %p\n", (void *)small);
	printf("bigheap %p\n", (void *)big);
	printf("mmap %p\n", m);
	printf("printf %p\n", (void *)printf);
	printf("errno %p\n", (void *)&errno);
	printf("main %p\n", (void *)main);
	((char *)m)[100] = 'x';
	munmap(m, 8192);
	free(big);
	free(small);
	return 0;
}
