/* many_procs: 300 short-lived children (child i exits with i%256); the parent reaps them in whatever order they end and prints the status sum, a digest of the reaping order and pids, and the time taken. */
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 300

int main(void)
{
	static pid_t pids[N];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++) {
		pid_t p = fork();
		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0)
			_exit(i % 256);
		pids[i] = p;
	}
	long sum = 0, exited = 0;
	unsigned long digest = 0, pidsum = 0;
	for (int k = 0; k < N; k++) {
		int st;
		pid_t p = wait(&st);
		if (p < 0) {
			perror("wait");
			return 1;
		}
		int idx = -1;
		for (int i = 0; i < N; i++)
			if (pids[i] == p)
				idx = i;
		if (idx < 0) {
			printf("unknown child %d\n", (int)p);
			return 1;
		}
		if (WIFEXITED(st)) {
			exited++;
			sum += WEXITSTATUS(st);
			if (WEXITSTATUS(st) != idx % 256)
				printf("child %d exited %d\n", idx, WEXITSTATUS(st));
		}
		digest = digest * 31 + (unsigned long)idx;
		pidsum += (unsigned long)p;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (wait(NULL) != -1)
		printf("an extra child\n");
	printf("exited %ld status sum %ld\n", exited, sum);
	printf("reap order digest %lx first pid mod 1000 %d pid sum mod 100000 %lu\n",
	       digest, (int)(pids[0] % 1000), pidsum % 100000);
	printf("elapsed %lld ns\n",
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
