/* ld_stub.c -- ld.so's own calls under the loader stub (src/preload/ldstub.h).
 *
 * "ld_stub outer" runs itself again without LD_PRELOAD, so the inner
 * process never gets the preload library: its loader stub stays on for
 * its whole life instead of stopping when the library registers.  The
 * inner process then loads libraries at run time (dlopen: ld.so's openat,
 * read, fstat, close again) from the main thread, which the stub answers
 * for; from two threads sharing its memory, and from a forked child,
 * which it must leave to the tracer.  Each prints what it loaded and a
 * value from it, and the process prints its pid, the time and a random
 * number, so that two native runs differ. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Load lib, look up sym, and say what was found. */
static void load(const char *who, const char *lib, const char *sym)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	void *f = h ? dlsym(h, sym) : NULL;
	printf("%s: %s %s %s\n", who, lib, h ? "loaded" : dlerror(), f ? "found" : "missing");
}

static void *thread(void *arg)
{
	load(arg, strcmp(arg, "thread 1") ? "libresolv.so.2" : "libm.so.6",
	     strcmp(arg, "thread 1") ? "res_query" : "cos");
	return NULL;
}

static int outer(char *self)
{
	/* The environment less LD_PRELOAD: no preload library inside. */
	int n = 0, k = 0;
	while (environ[n])
		n++;
	char **env = calloc((size_t)n + 1, sizeof(*env));
	for (int i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11))
			env[k++] = environ[i];
	char *argv[] = { self, "inner", NULL };
	execve(self, argv, env);
	perror("execve");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "outer"))
		return outer(argv[0]);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	srandom((unsigned)(ts.tv_nsec ^ getpid()));
	printf("pid %d, time %ld.%09ld, random %ld, LD_PRELOAD %s\n", getpid(), (long)ts.tv_sec,
	       ts.tv_nsec, random(), getenv("LD_PRELOAD") ? "set" : "unset");
	load("main", "libutil.so.1", "openpty");
	pthread_t t[2];
	pthread_create(&t[0], NULL, thread, "thread 1");
	pthread_join(t[0], NULL);
	pthread_create(&t[1], NULL, thread, "thread 2");
	pthread_join(t[1], NULL);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		load("child", "librt.so.1", "timer_create");
		printf("child pid %d\n", getpid());
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	load("main again", "libutil.so.1", "forkpty");
	printf("child exited %d\n", WEXITSTATUS(st));
	return 0;
}
