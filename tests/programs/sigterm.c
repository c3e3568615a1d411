/* sigterm: dies of SIGTERM sent by raise() or by kill(getpid()) (argument: raise|kill). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "raise";
	printf("sending SIGTERM with %s\n", how);
	fflush(stdout);
	if (strcmp(how, "kill") == 0)
		kill(getpid(), SIGTERM);
	else
		raise(SIGTERM);
	printf("still alive\n");
	return 0;
}
