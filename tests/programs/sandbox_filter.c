/* sandbox_filter.c -- a program that sandboxes itself the way browsers do
 * (Chromium, Firefox): a seccomp filter of its own, installed with
 * seccomp(2), that kills the process on syscall numbers it does not know,
 * traps preadv2 (which the program never makes) and mmap with
 * MAP_FIXED_NOREPLACE (a flag its policy does not allow).  Then it does
 * what a sandboxed process does: starts threads, reads and writes pipes,
 * allocates, draws random numbers, and prints them.  Two native runs
 * differ.
 *
 *   sandbox_filter        prints "sandboxed", then each thread's numbers */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LD(off)        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v)         BPF_STMT(BPF_RET | BPF_K, (v))

static int sandbox(void)
{
	struct sock_filter f[] = {
		LD(offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_KILL_PROCESS),
		LD(offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 1024, 0, 1),
		RET(SECCOMP_RET_KILL_PROCESS),                 /* a number it does not know */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_preadv2, 0, 1),
		RET(SECCOMP_RET_KILL_PROCESS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 3),
		LD(offsetof(struct seccomp_data, args[3])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MAP_FIXED_NOREPLACE, 0, 1),
		RET(SECCOMP_RET_KILL_PROCESS),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

struct work {
	int id;
	uint64_t sum;
	char line[160];
};

static void *run(void *arg)
{
	struct work *w = arg;
	int p[2];
	if (pipe(p) < 0)
		return NULL;
	for (int i = 0; i < 200; i++) {
		uint64_t v;
		if (getrandom(&v, sizeof(v), 0) != sizeof(v) || write(p[1], &v, sizeof(v)) != sizeof(v))
			return NULL;
		uint64_t back = 0;
		if (read(p[0], &back, sizeof(back)) != sizeof(back))
			return NULL;
		char *blk = malloc(1000 + (back & 0x3ffff));  /* some above the mmap threshold */
		memset(blk, (int)(back & 0xff), 1000);
		w->sum = w->sum * 31 + back + (unsigned char)blk[999];
		free(blk);
	}
	close(p[0]);
	close(p[1]);
	snprintf(w->line, sizeof(w->line), "thread %d: sum %016llx", w->id,
	         (unsigned long long)w->sum);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (sandbox() < 0) {
		perror("seccomp");
		return 1;
	}
	printf("sandboxed\n");
	struct work w[3] = { { .id = 0 }, { .id = 1 }, { .id = 2 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, run, &w[i + 1]);
	run(&w[0]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 3; i++)
		printf("%s\n", w[i].line);
	return 0;
}
