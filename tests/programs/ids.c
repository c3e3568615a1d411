/* ids: getpid, getppid, gettid, getuid, geteuid, getgid, getpgrp, getsid. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("pid %d\n", (int)getpid());
	printf("ppid %d\n", (int)getppid());
	printf("tid %d\n", (int)gettid());
	printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(),
	       (int)getgid(), (int)getegid());
	printf("pgrp %d sid %d\n", (int)getpgrp(), (int)getsid(0));
	printf("pid again %d\n", (int)getpid());
	return 0;
}
