/* uname: every field of uname(2). */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	if (uname(&u) != 0) {
		perror("uname");
		return 1;
	}
	printf("sysname %s\nnodename %s\nrelease %s\nversion %s\nmachine %s\n",
	       u.sysname, u.nodename, u.release, u.version, u.machine);
	return 0;
}
