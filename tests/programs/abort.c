/* abort: prints, then dies of SIGABRT via abort(). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("about to abort\n");
	fflush(stdout);
	fprintf(stderr, "aborting now\n");
	abort();
}
