/* ns_sandbox.c -- the namespaces of Chromium's sandbox, for a user without
 * privileges: clone into a new user and pid namespace, map the user to
 * root in it (uid_map), clone again into a pid namespace of its own (which
 * needs the capabilities the first clone gave, kept across the exec in
 * between only by uid 0 of the namespace), and exec the program again
 * there: the exec'd image sees itself as pid 1, uid 0.  Prints what each
 * level sees and a random number.
 *
 *   ns_sandbox          (as a user without privileges: runuser -u nobody)
 *   ns_sandbox middle   the image exec'd in the user namespace
 *   ns_sandbox inner    the image exec'd in the inner pid namespace */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t sys_clone(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

static int reap(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int middle(char **argv);

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "middle"))
		return middle(argv);
	if (argc > 1 && !strcmp(argv[1], "inner")) {
		unsigned r = 0;
		getrandom(&r, sizeof(r), 0);
		printf("inner: pid %d, uid %d, random %08x\n", getpid(), getuid(), r);
		return 7;
	}
	uid_t uid = getuid();
	gid_t gid = getgid();
	printf("outer: uid %d\n", uid);
	pid_t c = sys_clone(CLONE_NEWUSER | CLONE_NEWPID);
	if (c < 0) {
		perror("clone NEWUSER|NEWPID");
		return 1;
	}
	if (c == 0) {
		char map[64];
		snprintf(map, sizeof(map), "0 %d 1", uid);
		if (write_file("/proc/self/setgroups", "deny") < 0 || write_file("/proc/self/uid_map", map) < 0)
			_exit(2);
		snprintf(map, sizeof(map), "0 %d 1", gid);
		if (write_file("/proc/self/gid_map", map) < 0)
			_exit(3);
		execl("/proc/self/exe", argv[0], "middle", (char *)NULL);
		_exit(6);
	}
	printf("outer: middle exited %d\n", reap(c));
	return 0;
}

/* After an exec, as root of the user namespace (capabilities are kept
 * across exec only by uid 0 there, so only with the uid map). */
static int middle(char **argv)
{
	{
		printf("middle: pid %d, uid %d\n", getpid(), getuid());
		pid_t g = sys_clone(CLONE_NEWPID);
		if (g < 0) {
			perror("clone NEWPID");
			_exit(4);
		}
		if (g == 0) {
			execl("/proc/self/exe", argv[0], "inner", (char *)NULL);
			_exit(5);
		}
		printf("middle: inner exited %d\n", reap(g));
		return 0;
	}
}
