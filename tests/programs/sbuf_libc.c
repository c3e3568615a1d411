/* sbuf_libc.c -- calls glibc makes itself, which the syscall buffer
 * reaches by patching libc (src/preload/patch.c): realpath's readlinks,
 * readdir's getdents64 and opendir's open, stdio's reads and writes of a
 * file, sigaction and sigprocmask (syscall sites inside libc), malloc's
 * brk, and a futex wake-up between two threads; start-up queries a
 * compiler makes (getcwd, getrlimit, sysinfo, isatty, getrandom, a large
 * malloc's anonymous map) and execvp's tries of directories of PATH that
 * hold no such program.  Prints inode numbers, times, pids, addresses and
 * random bytes: different on every run, identical on replay. */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr1(int sig) { got = sig; }

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;

static void *waiter(void *arg)
{
	pthread_mutex_lock(&mu);
	while (!ready)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return arg;
}

int main(void)
{
	char dir[] = "/tmp/sbuf-libc-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char path[PATH_MAX], link1[PATH_MAX], link2[PATH_MAX];
	snprintf(path, sizeof(path), "%s/data.txt", dir);
	snprintf(link1, sizeof(link1), "%s/l1", dir);
	snprintf(link2, sizeof(link2), "%s/l2", dir);

	FILE *f = fopen(path, "w");
	fprintf(f, "written at %ld by %d\n", (long)time(NULL), getpid());
	fclose(f);
	symlink(path, link1);
	symlink(link1, link2);

	char resolved[PATH_MAX];
	long hits = 0;
	for (int i = 0; i < 500; i++)
		hits += realpath(link2, resolved) != NULL;

	char line[128] = "";
	f = fopen(link2, "r");
	if (!f || !fgets(line, sizeof(line), f))
		return 1;
	fclose(f);

	char *names[8];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)) && n < 8)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp);

	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	int before = got;
	sigprocmask(SIG_SETMASK, &old, NULL);

	pthread_t th;
	pthread_create(&th, NULL, waiter, NULL);
	struct timespec nap = { 0, 5 * 1000 * 1000 };
	nanosleep(&nap, NULL);
	pthread_mutex_lock(&mu);
	ready = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(th, NULL);

	void *blocks[64];
	for (int i = 0; i < 64; i++)
		blocks[i] = malloc(64 * 1024);
	struct stat st;
	stat(path, &st);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	printf("realpath %ld of 500: %s\n", hits, strcmp(resolved, path) ? "wrong" : "ok");
	printf("read back: %s", line);
	printf("entries:");
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\nsignal pending while blocked %d, taken after unblock %d\n", before, got);
	printf("inode %llu, heap %p, time %ld.%09ld\n", (unsigned long long)st.st_ino,
	       (void *)((char *)blocks[63] - (char *)blocks[0]), (long)now.tv_sec,
	       (long)now.tv_nsec);
	for (int i = 0; i < 64; i++)
		free(blocks[i]);

	char cwd[PATH_MAX];
	struct rlimit rl;
	struct sysinfo si;
	unsigned rnd = 0;
	char *big = malloc(4 << 20);              /* an anonymous map of its own */
	printf("cwd %s, stack limit %s, uptime>0 %d, stdin a tty %d, random %08x, big %p\n",
	       getcwd(cwd, sizeof(cwd)) ? "ok" : "failed",
	       getrlimit(RLIMIT_STACK, &rl) == 0 ? "ok" : "failed",
	       sysinfo(&si) == 0 && si.uptime > 0, isatty(0),
	       getrandom(&rnd, sizeof(rnd), 0) == sizeof(rnd) ? rnd : 0, (void *)big);
	free(big);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* three directories that do not hold it, then the real one */
		setenv("PATH", "/nonexistent/a:/nonexistent/b:/proc/self:/bin:/usr/bin", 1);
		execlp("true", "true", (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("execvp of true: status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	unlink(link2);
	unlink(link1);
	unlink(path);
	rmdir(dir);
	return 0;
}
