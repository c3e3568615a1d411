/* exit_main_sig: the main thread creates a thread (raw clone, so the new
 * thread runs no libc code of its own first), sends it SIGUSR1 before it
 * can run a single instruction, and leaves with SYS_exit -- not
 * exit_group -- so the process lives on in the new thread.  That thread
 * takes the signal in its handler, prints what it saw, and ends the
 * process with exit_group(7). */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int got;

static void on_usr1(int sig)
{
	got = sig;
}

static int child(void *arg)
{
	(void)arg;
	while (!got)
		;
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "thread: got signal %d\n", got);
	syscall(SYS_write, 1, msg, n);
	syscall(SYS_exit_group, 7);
	return 0;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	printf("main: starting a thread\n");
	fflush(stdout);
	size_t size = 1 << 16;
	char *stack = malloc(size);
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	            CLONE_SYSVSEM;
	int tid = clone(child, stack + size, flags, NULL);
	if (tid < 0) {
		perror("clone");
		return 1;
	}
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	syscall(SYS_exit, 0);
	return 0;
}
