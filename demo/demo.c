/* demo.c -- the README's demo: a program that is different every time it
 * runs.  It prints the time, random numbers, its pid, a child's pid and an
 * rdtsc value, from one process and a forked child. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char when[64];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&ts.tv_sec));
	unsigned char r[8];
	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	printf("time      %s.%09ld\n", when, ts.tv_nsec);
	printf("random    %02x%02x%02x%02x%02x%02x%02x%02x\n", r[0], r[1], r[2], r[3], r[4],
	       r[5], r[6], r[7]);
	srand(ts.tv_nsec ^ getpid());
	printf("rand()    %d %d %d\n", rand() % 1000, rand() % 1000, rand() % 1000);
	printf("pid       %d\n", getpid());
	printf("rdtsc     %llu\n", (unsigned long long)__rdtsc());
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("child     pid %d, monotonic %ld.%09ld\n", getpid(), (long)ts.tv_sec, ts.tv_nsec);
		return 7;
	}
	int st;
	waitpid(child, &st, 0);
	printf("child %d exited with %d\n", child, WEXITSTATUS(st));
	return 0;
}
