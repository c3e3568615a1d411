/* environ: prints the whole environment, one variable a line. */
#include <stdio.h>

extern char **environ;

int main(void)
{
	int n = 0;
	for (char **e = environ; *e; e++, n++)
		printf("%s\n", *e);
	printf("%d variables\n", n);
	return 0;
}
