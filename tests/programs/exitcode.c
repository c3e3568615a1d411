/* exitcode: exits with the status given as argument, after printing. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;
	printf("exiting with %d\n", code);
	fprintf(stderr, "stderr before exit %d\n", code);
	return code;
}
