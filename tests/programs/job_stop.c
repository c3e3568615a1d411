/* job_stop N: job control as a shell does it (Ctrl-Z, then fg), N times
 * for each kind of child: five stops and continues in quick succession,
 * a stop signal, waitpid(WUNTRACED) until the child has stopped, SIGCONT,
 * then SIGTERM (its handler exits 3).
 *   kind 0: threads blocked in read and in nanosleep, and one computing,
 *           while the main thread writes; SIGSTOP.
 *   kind 1: the same threads, and they all bump a counter in memory the
 *           parent shares (MAP_SHARED anonymous), so parent and child are
 *           one memory domain; SIGTSTP.  While the child is stopped the
 *           parent reads the counter twice, 2 ms apart: the reads must
 *           agree (it really is stopped), and the value differs from run
 *           to run.
 *   kind 2: the child leads its own process group with a grandchild, and
 *           the whole group is stopped and continued with kill(-pgid).
 * A multi-threaded child whose threads waited for their turn never
 * completed the stop when recording: the parent waited forever. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pipefd[2];
static volatile unsigned long *counter;

static void on_term(int s)
{
	(void)s;
	_exit(3);
}

static void nap(long us)
{
	struct timespec ts = { 0, us * 1000 };
	nanosleep(&ts, NULL);
}

static void bump(void)
{
	if (counter)
		__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void *reader(void *a)
{
	char c;
	while (read(pipefd[0], &c, 1) > 0)
		bump();
	return a;
}

static void *sleeper(void *a)
{
	for (;;) {
		nap(200);
		bump();
	}
	return a;
}

static void *computer(void *a)
{
	for (volatile unsigned long x = 0;; x++)
		if (x % 4096 == 0)
			bump();
	return a;
}

static void start_threads(void)
{
	pthread_t t;
	if (pipe(pipefd) < 0)
		exit(2);
	pthread_create(&t, NULL, reader, NULL);
	pthread_create(&t, NULL, sleeper, NULL);
	pthread_create(&t, NULL, computer, NULL);
}

static void child(int kind)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	if (kind == 2) {
		setpgid(0, 0);
		if (fork() == 0) {
			/* the grandchild: computes and naps until its parent dies */
			pid_t pp = getppid();
			start_threads();
			while (getppid() == pp)
				nap(300);
			_exit(0);
		}
	}
	start_threads();
	for (;;) {
		if (write(pipefd[1], "x", 1) < 0)
			_exit(2);
		nap(100);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5, stopped = 0, termed = 0, agreed = 0;
	unsigned long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < 3 * n; i++) {
		int kind = i % 3;
		pid_t c = fork();
		if (c == 0) {
			counter = kind == 1 ? shared : NULL;
			child(kind);
		}
		if (kind == 2)
			setpgid(c, c);       /* the child does it too: no race */
		nap(300 + (i % 7) * 300);
		pid_t target = kind == 2 ? -c : c;
		/* Stops and continues in quick succession first (a stop may
		 * begin while the tasks of the previous one are still on their
		 * way out of it), then the stop that is waited for. */
		int st, sig = kind == 0 ? SIGSTOP : SIGTSTP;
		for (int k = 0; k < 5; k++) {
			kill(target, sig);
			nap((i * 7 + k * 13) % 900);
			kill(target, SIGCONT);
			nap((i * 3 + k * 11) % 700);
		}
		kill(target, sig);
		if (waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st))
			stopped++;
		if (kind == 1) {
			unsigned long a = __atomic_load_n(shared, __ATOMIC_RELAXED);
			nap(2000);
			unsigned long b = __atomic_load_n(shared, __ATOMIC_RELAXED);
			agreed += a == b;
			printf("child %d stopped at %lu\n", i, b);
		}
		kill(target, SIGCONT);
		nap(500);
		kill(target, SIGTERM);
		if (waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 3)
			termed++;
	}
	printf("%d stopped, %d terminated, %d of %d counters still while stopped\n",
	       stopped, termed, agreed, n);
	return 0;
}
