/* ckpt_steps: a single-threaded program for checkpoint tests.  Each step
 * takes 8 random bytes (getrandom: a nondeterministic result the replay
 * answers from the trace), folds them into a heap buffer and prints the
 * step's line.  `fork` as argv[1]: the steps run in a child too (a
 * multi-process trace); `threads`: two threads run the steps at once
 * (a multi-threaded one), each with its own buffer; `shared`: first map
 * a page MAP_SHARED (which a checkpoint refuses); `heap MIB`: first fill a heap of MIB MiB (every
 * page written), the process a checkpoint copies (the bench). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

static void steps(const char *who, uint64_t *acc, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t v = 0;
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			exit(2);
		acc[i % 64] ^= v;
		acc[64] += v;
		char line[96];
		int len = snprintf(line, sizeof(line), "%s step %d: %016llx\n", who, i,
		                   (unsigned long long)acc[64]);
		if (write(1, line, len) != len)
			exit(3);
	}
}

static void *thread(void *arg)
{
	uint64_t *acc = calloc(65, sizeof(*acc));
	if (!acc)
		exit(1);
	steps(arg, acc, 20);
	free(acc);
	return arg;
}

int main(int argc, char **argv)
{
	uint64_t *acc = calloc(65, sizeof(*acc));
	if (!acc)
		return 1;
	int n = 20;
	if (argc > 2 && strcmp(argv[1], "heap") == 0) {
		size_t size = (size_t)atoi(argv[2]) << 20;
		unsigned char *heap = malloc(size);
		if (!heap)
			return 1;
		for (size_t i = 0; i < size; i += 4096)
			heap[i] = (unsigned char)(i >> 12 | 1);
		acc[64] = heap[size / 2];
	}
	if (argc > 1 && strcmp(argv[1], "shared") == 0) {
		char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		                  -1, 0);
		if (page == MAP_FAILED)
			return 5;
		page[0] = 1;
	}
	if (argc > 1 && strcmp(argv[1], "threads") == 0) {
		pthread_t a, b;
		void *ra, *rb;
		if (pthread_create(&a, NULL, thread, "thread-a") ||
		    pthread_create(&b, NULL, thread, "thread-b") || pthread_join(a, &ra) ||
		    pthread_join(b, &rb))
			return 4;
		printf("joined %s %s\n", (char *)ra, (char *)rb);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "fork") == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			steps("child", acc, n);
			_exit(0);
		}
		int st;
		waitpid(pid, &st, 0);
		steps("parent", acc, n);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 9;
	}
	steps("main", acc, n);
	return 0;
}
