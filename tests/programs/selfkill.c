/* selfkill: prints a line, then kills itself with SIGKILL (the status the
 * shell sees is 137); "not reached" is never printed. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("pid %d about to kill itself\n", (int)getpid());
	fflush(stdout);
	kill(getpid(), SIGKILL);
	printf("not reached\n");
	return 0;
}
