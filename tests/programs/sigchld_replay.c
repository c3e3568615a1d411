/* sigchld_replay: on replay, forks run again, so real children exit and
 * send their parent real SIGCHLDs at moments of their own, which the
 * recording knows nothing about.  They must change nothing: not where the
 * parent's domain switches threads (a child exits while the parent
 * computes, then a thread the parent started races it for a counter), and
 * not the calls scribe makes inside the parent to map a file (children
 * exit while the parent maps and unmaps a file again and again).  Prints
 * the race's outcome, the pids and a checksum of the mapped data. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long counter;
static long theirs;
static int pipefd[2];

static void spin(long n)
{
	for (volatile long i = 0; i < n; i++)
		;
}

static void *racer(void *arg)
{
	(void)arg;
	theirs = counter++;
	if (write(pipefd[1], "x", 1) != 1)
		exit(1);
	return NULL;
}

static pid_t child_spins(long n)
{
	pid_t p = fork();
	if (p == 0) {
		spin(n);
		_exit(0);
	}
	return p;
}

/* A child exits while the parent computes; then a thread races it. */
static void race(void)
{
	pid_t p = child_spins(3000000);
	waitpid(p, NULL, 0);
	pthread_t th;
	if (pipe(pipefd) || pthread_create(&th, NULL, racer, NULL))
		exit(1);
	spin(20000000);
	long mine = counter++;
	char c;
	if (read(pipefd[0], &c, 1) != 1)
		exit(1);
	pthread_join(th, NULL);
	printf("race: child %d, main got %ld, thread got %ld\n", (int)p, mine, theirs);
}

/* Children exit while the parent maps a file over and over. */
static void maps(const char *path)
{
	unsigned long sum = 0;
	for (int round = 0; round < 20; round++) {
		pid_t p = child_spins(200000 + 50000 * (round % 5));
		for (int i = 0; i < 50; i++) {
			int fd = open(path, O_RDONLY);
			unsigned char *m = fd < 0 ? MAP_FAILED :
			                   mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
			if (m == MAP_FAILED)
				exit(1);
			sum = sum * 31 + m[(round * 50 + i) % 4096];
			munmap(m, 4096);
			close(fd);
		}
		waitpid(p, NULL, 0);
	}
	printf("maps: checksum %lu\n", sum);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sigchld_replay FILE-OF-4096-BYTES\n");
		return 2;
	}
	race();
	maps(argv[1]);
	return 0;
}
