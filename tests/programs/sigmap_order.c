/* sigmap_order: for every combination of 1-4 signals out of SIGUSR1,
 * SIGUSR2, SIGRTMIN and SIGRTMIN+1, block them, send each once (four ways
 * in turn: raise, kill of the process, sigqueue from another thread to the
 * process, pthread_kill from another thread to this one; a real-time
 * signal sometimes twice), unblock them all with one pthread_sigmask and
 * print the order the handlers ran in, with each one's si_code, si_value
 * and nesting depth.  Each combination runs once with handlers that nest
 * (empty sa_mask) and once with handlers that block everything.  The
 * output is the same in every native run: the kernel delivers a thread's
 * own signals before its process', lowest number first, real-time ones in
 * the order they were queued, each handler nested in the previous.  Last,
 * the four are sent while this thread computes: all four must run. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NSIG_USED 4
#define MAXLOG 16

static int sigs[NSIG_USED];
static struct { int sig, code, value, depth; } logv[MAXLOG];
static volatile int nlog, depth;
static pthread_t main_thread;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int d = ++depth;
	if (nlog < MAXLOG) {
		int v = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
		logv[nlog].sig = sig;
		logv[nlog].code = si->si_code;
		logv[nlog].value = v;
		logv[nlog].depth = d;
		nlog++;
	}
	/* Computation without a syscall, so a nested delivery shows in the
	 * order only if the kernel (or scribe) nested it. */
	for (volatile int i = 0; i < 1000; i++)
		;
	depth--;
}

static void handlers(int nest)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	if (!nest)
		sigfillset(&sa.sa_mask);
	for (int i = 0; i < NSIG_USED; i++)
		sigaction(sigs[i], &sa, NULL);
}

struct send { int sig, how, value; };
static struct send todo[8];
static int ntodo;

/* The other thread: every signal blocked, so process-directed ones wait
 * for the main thread to unblock them. */
static void *sender(void *arg)
{
	(void)arg;
	for (int i = 0; i < ntodo; i++) {
		if (todo[i].how == 2) {
			union sigval v = { .sival_int = todo[i].value };
			sigqueue(getpid(), todo[i].sig, v);
		} else if (todo[i].how == 3) {
			pthread_kill(main_thread, todo[i].sig);
		}
	}
	return NULL;
}

/* A thread that runs fn with every signal blocked. */
static pthread_t blocked_thread(void *(*fn)(void *))
{
	sigset_t all;
	sigfillset(&all);
	pthread_t th;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setsigmask_np(&a, &all);
	pthread_create(&th, &a, fn, NULL);
	pthread_attr_destroy(&a);
	return th;
}

static void round_(unsigned combo, int nest, int round)
{
	sigset_t set, old;
	sigemptyset(&set);
	for (int i = 0; i < NSIG_USED; i++)
		if (combo >> i & 1)
			sigaddset(&set, sigs[i]);
	handlers(nest);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	ntodo = 0;
	int k = 0;
	for (int i = 0; i < NSIG_USED; i++) {
		if (!(combo >> i & 1))
			continue;
		int how = (round + k++) % 4;
		todo[ntodo++] = (struct send){ sigs[i], how, 100 * round + i };
		if (sigs[i] >= SIGRTMIN && (round & 1))     /* queued twice */
			todo[ntodo++] = (struct send){ sigs[i], how, 100 * round + i + 50 };
	}
	for (int i = 0; i < ntodo; i++) {
		if (todo[i].how == 0)
			raise(todo[i].sig);
		else if (todo[i].how == 1)
			kill(getpid(), todo[i].sig);
	}
	pthread_join(blocked_thread(sender), NULL);
	nlog = 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	printf("round %d combo %x %s:", round, combo, nest ? "nest" : "mask");
	for (int i = 0; i < nlog; i++) {
		const char *n = logv[i].sig == SIGUSR1 ? "USR1" : logv[i].sig == SIGUSR2 ? "USR2" :
		                logv[i].sig == SIGRTMIN ? "RTMIN" : "RTMIN+1";
		printf(" %s/%d/%d/d%d", n, logv[i].code, logv[i].value, logv[i].depth);
	}
	printf("\n");
}

/* The other thread sends all four while the main thread computes without
 * a syscall: every one must reach a handler (recording held the first and
 * lost the rest when they came before the main thread's next syscall). */
static void *async_sender(void *arg)
{
	(void)arg;
	union sigval v = { .sival_int = 7 };
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	sigqueue(getpid(), SIGRTMIN, v);
	pthread_kill(main_thread, SIGRTMIN + 1);
	return NULL;
}

static void async_round(void)
{
	handlers(1);
	nlog = 0;
	pthread_t th = blocked_thread(async_sender);
	for (volatile unsigned long i = 0; nlog < 4 && i < 4000000000ul; i++)
		;
	pthread_join(th, NULL);
	int seen = 0;
	for (int i = 0; i < nlog; i++)
		for (int k = 0; k < NSIG_USED; k++)
			if (logv[i].sig == sigs[k])
				seen |= 1 << k;
	printf("while computing: %d handlers ran, signals %x\n", nlog, seen);
}

int main(void)
{
	sigs[0] = SIGUSR1;
	sigs[1] = SIGUSR2;
	sigs[2] = SIGRTMIN;
	sigs[3] = SIGRTMIN + 1;
	main_thread = pthread_self();
	setvbuf(stdout, NULL, _IOLBF, 0);
	int round = 0;
	for (int nest = 1; nest >= 0; nest--)
		for (unsigned combo = 1; combo < 1u << NSIG_USED; combo++)
			round_(combo, nest, round++);
	async_round();
	printf("done %d rounds\n", round);
	return 0;
}
