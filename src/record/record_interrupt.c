/* record_interrupt.c -- signals sent to `scribe record` itself, and the
 * end of a recording they ask for.
 *
 * The program runs in a process group of its own (spawn.c), so what is
 * sent to scribe reaches the program only through us.  SIGTERM and SIGHUP
 * go on to the program's first process, as they would reach a program run
 * without a wrapper (`timeout`, a service manager); SIGINT and SIGQUIT,
 * the terminal's keys, go to its whole group, as the terminal would have
 * sent them (with the terminal handed to the program, they never come to
 * us).  A program that ends of them ends the recording as usual.
 *
 * But SIGTERM, SIGINT and SIGHUP also mean "stop": the recording must end
 * within 2 s in any state -- the program ignores or blocks the signal,
 * sits in a group-stop, is in an exec, or scribe itself is stuck.  So one
 * second after the first (at once on a second one) every tracer thread
 * SIGKILLs its tasks, no event is written any more, and the trace is left
 * as a recording that was interrupted: it replays up to there and says
 * so.  A second later still, scribe gives up waiting for the tasks to die
 * and exits all the same.
 *
 * With the terminal handed to the program (spawn.c), Ctrl-Z stops the
 * program, not us: a shell would never hear of it and keep waiting, with
 * the program holding the terminal.  So when the program's first process
 * enters a group-stop, scribe takes the terminal back and stops itself
 * with the same signal, and the shell's `fg` or `bg` (a SIGCONT to us)
 * continues the program's group, in the foreground for `fg`. */
#include "record/record_int.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "core/spawn.h"

#define GRACE_NS 1000000000ull

static volatile sig_atomic_t root_pid;
static volatile sig_atomic_t nstops, first_sig;
static uint64_t first_ns;            /* when the first came (atomic) */
static bool stopping;                /* atomic: the stop has begun */
static uint64_t stopping_ns;

/* We stopped ourselves as the program did (rec_job_stopped). */
static volatile sig_atomic_t relayed_stop;

static bool asks_stop(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

static void on_signal(int sig)
{
	pid_t root = root_pid;
	if (asks_stop(sig)) {
		if (nstops++ > 0)
			return;      /* passed on once; the second one ends it now */
		__atomic_store_n(&first_ns, now_ns(), __ATOMIC_RELEASE);
		first_sig = sig;
	}
	if (root > 0)
		kill(sig == SIGINT || sig == SIGQUIT ? -root : root, sig);
}

/* `fg` or `bg` from the shell, after rec_job_stopped: the program's
 * group goes on too, in the terminal's foreground if we are. */
static void on_cont(int sig)
{
	(void)sig;
	pid_t root = root_pid;
	if (!relayed_stop || root <= 0)
		return;
	relayed_stop = 0;
	spawn_tty_again(root);
	kill(-root, SIGCONT);
}

void rec_job_stopped(struct recorder *r, struct task *t, int sig)
{
	if (!spawn_tty_given() || t->tid != r->root || relayed_stop)
		return;
	/* A shell whose job stopped takes the terminal back; its job here
	 * is scribe, which stops the same way for the shell to see. */
	spawn_tty_back();
	relayed_stop = 1;
	kill(getpid(), sig);
}

void rec_signals_start(pid_t root)
{
	root_pid = root;
	struct sigaction sa = {0};
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

void rec_signals_end(void)
{
	root_pid = 0;
}

bool rec_interrupted(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

/* The first thread to see the time is up says why, once. */
static void begin_stop(uint64_t now, const char *why)
{
	bool no = false;
	if (!__atomic_compare_exchange_n(&stopping, &no, true, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&stopping_ns, now, __ATOMIC_RELEASE);
	if (why)
		err_set("%s", why);
	else
		err_set("SIG%s: %s; the program was killed and the trace ends here (it replays "
		        "up to this point)", sigabbrev_np(first_sig),
		        nstops > 1 ? "a second signal came before the program ended"
		                   : "the program had not ended a second later");
}

void rec_interrupt(const char *why)
{
	begin_stop(now_ns(), why);
	nstops = 2;
}

void rec_check_interrupt(void)
{
	if (!nstops)
		return;
	uint64_t now = now_ns();
	if (!rec_interrupted()) {
		uint64_t first = __atomic_load_n(&first_ns, __ATOMIC_ACQUIRE);
		if (nstops < 2 && (!first || now - first < GRACE_NS))
			return;
		begin_stop(now, NULL);
	}
	tracees_kill_all(&self->t);
	for (int i = 0; i < self->t.nearly; i++)
		kill(self->t.early[i].tid, SIGKILL);
	if (now - __atomic_load_n(&stopping_ns, __ATOMIC_ACQUIRE) > GRACE_NS)
		fatal("%s; its tasks had not died a second after SIGKILL", err_get());
}
