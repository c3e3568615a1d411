/* memfd_shared: a memfd made and sized before fork is mmap'd MAP_SHARED by parent and child after the fork; each increments a counter in it 50,000,000 times without a lock; prints the final value. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ITERS 50000000

struct shared {
	volatile long counter;
	long child_seen;
};

static struct shared *attach(int fd)
{
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return s == MAP_FAILED ? NULL : s;
}

int main(void)
{
	int fd = memfd_create("scribe-memfd-test", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 4096) != 0) {
		perror("memfd_create");
		return 1;
	}
	int go[2];
	if (pipe(go))
		return 1;
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		struct shared *s = attach(fd);
		if (!s)
			_exit(1);
		if (write(go[1], "g", 1) != 1)
			_exit(1);
		for (int i = 0; i < ITERS; i++)
			s->counter++;
		s->child_seen = s->counter;
		_exit(0);
	}
	struct shared *s = attach(fd);
	if (!s) {
		perror("mmap");
		return 1;
	}
	char c;
	if (read(go[0], &c, 1) != 1)
		return 1;
	for (int i = 0; i < ITERS; i++)
		s->counter++;
	long parent_seen = s->counter;
	int st;
	waitpid(p, &st, 0);
	printf("final %ld (%s)\n", s->counter,
	       s->counter == 2L * ITERS ? "no lost updates" : "lost updates");
	printf("parent saw %ld, child saw %ld, child exited %d\n", parent_seen, s->child_seen,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
