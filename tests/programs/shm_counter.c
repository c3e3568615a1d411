/* shm_counter: parent and child increment a counter in MAP_SHARED anonymous memory (mapped before fork) 300,000,000 times each without a lock; prints the final value and what each saw when it finished. */
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

int main(void)
{
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	int go[2];
	if (pipe(go))
		return 1;
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		if (write(go[1], "g", 1) != 1)
			_exit(1);
		for (int i = 0; i < ITERS; i++)
			s->counter++;
		s->child_seen = s->counter;
		_exit(0);
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
