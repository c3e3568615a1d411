/* libtrace_two: two processes print a line each, the child first (the
 * parent waits for it): the program whose outputs the libtrace cases
 * reorder. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		printf("child %d\n", (int)getpid() > 0);
		return 0;
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 2;
	printf("parent after child\n");
	return 0;
}
