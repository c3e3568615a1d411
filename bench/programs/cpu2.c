/* cpu2.c -- two CPU-bound processes in parallel: the parent forks two
 * children, each doing ~0.5 s of integer arithmetic (the loop of cpu.c,
 * from its own seed) with no system calls in the loop, sending its hash
 * back through its own pipe; the parent waits for both and prints one
 * checksum line.  Each child is its own memory domain, so a recorder that
 * runs domains in parallel should cost ~nothing over native.
 *
 *   cpu2 [ITERATIONS]     per child, default 400000000
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t crunch(uint64_t n, uint64_t seed)
{
	uint64_t x = seed, h = 0;

	for (uint64_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		h ^= x >> 29;
		h = (h << 7 | h >> 57) + i;
	}
	return h;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 400000000ULL;
	uint64_t h[2];
	int fd[2][2];
	pid_t pid[2];

	for (int c = 0; c < 2; c++) {
		if (pipe(fd[c]) < 0) {
			perror("pipe");
			return 1;
		}
		pid[c] = fork();
		if (pid[c] < 0) {
			perror("fork");
			return 1;
		}
		if (pid[c] == 0) {
			close(fd[c][0]);
			uint64_t r = crunch(n, 0x9e3779b97f4a7c15ULL + (uint64_t)c);
			_exit(write(fd[c][1], &r, sizeof r) == sizeof r ? 0 : 1);
		}
		close(fd[c][1]);
	}
	int bad = 0;
	for (int c = 0; c < 2; c++) {
		int st;
		if (read(fd[c][0], &h[c], sizeof h[c]) != sizeof h[c])
			bad = 1;
		if (waitpid(pid[c], &st, 0) != pid[c] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	}
	if (bad) {
		fprintf(stderr, "cpu2: a child failed\n");
		return 1;
	}
	printf("checksum %016llx %016llx after 2 x %llu iterations\n",
	       (unsigned long long)h[0], (unsigned long long)h[1], (unsigned long long)n);
	return 0;
}
