/* pgkill SIG [CHILDREN]: prints a line, forks CHILDREN (default 1) that
 * sleep, then sends SIG (a number) to its whole process group with
 * kill(0, SIG): it and its children die of it, as a shell's
 * `kill -- -$$` would make them.  "not reached" is never printed.  Further
 * arguments are ignored (a tag for ps). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sig = argc > 1 ? atoi(argv[1]) : SIGTERM;
	int n = argc > 2 ? atoi(argv[2]) : 1;
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0) {
			pause();
			_exit(3);
		}
	}
	printf("pgkill: %d children, sending signal %d to the group\n", n, sig);
	fflush(stdout);
	kill(0, sig);
	pause();
	printf("not reached\n");
	return 0;
}
