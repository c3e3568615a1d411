/* shm_open: after fork, parent and child each shm_open and mmap the same POSIX shared memory object and increment a counter in it 300,000,000 times without a lock; prints the final value and what each saw. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ITERS 300000000

struct shared {
	volatile long counter;
	long child_seen;
};

static struct shared *attach(const char *name)
{
	int fd = shm_open(name, O_RDWR, 0600);
	if (fd < 0) {
		perror("shm_open");
		return NULL;
	}
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return s == MAP_FAILED ? NULL : s;
}

int main(void)
{
	char name[64];
	snprintf(name, sizeof name, "/scribe-shm-test-%d", (int)getpid());
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, 4096) != 0) {
		perror("shm_open");
		return 1;
	}
	close(fd);
	int go[2];
	if (pipe(go))
		return 1;
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		struct shared *s = attach(name);
		if (!s)
			_exit(1);
		if (write(go[1], "g", 1) != 1)
			_exit(1);
		for (int i = 0; i < ITERS; i++)
			s->counter++;
		s->child_seen = s->counter;
		_exit(0);
	}
	struct shared *s = attach(name);
	if (!s)
		return 1;
	char c;
	if (read(go[0], &c, 1) != 1)
		return 1;
	for (int i = 0; i < ITERS; i++)
		s->counter++;
	long parent_seen = s->counter;
	int st;
	waitpid(p, &st, 0);
	shm_unlink(name);
	printf("final %ld (%s)\n", s->counter,
	       s->counter == 2L * ITERS ? "no lost updates" : "lost updates");
	printf("parent saw %ld, child saw %ld, child exited %d\n", parent_seen, s->child_seen,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
