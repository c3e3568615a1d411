/* auxv: the 16 AT_RANDOM bytes from the auxiliary vector, in hex. */
#include <stdio.h>
#include <sys/auxv.h>

int main(void)
{
	const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
	if (!r) {
		printf("no AT_RANDOM\n");
		return 1;
	}
	printf("AT_RANDOM ");
	for (int i = 0; i < 16; i++)
		printf("%02x", r[i]);
	printf("\n");
	printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
	return 0;
}
