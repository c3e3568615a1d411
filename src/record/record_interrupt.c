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
 * continues the program's group, in the foreground for `fg`.
 *
 * The signal handlers themselves are the CLI's (a library installs
 * none): they call scribe_record_signal, which is rec_signal, and the
 * stop of scribe itself is the job_stop callback.  The state is the
 * recorder's (struct rec_intr): recordings in one process are apart. */
#include "record/record_int.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/spawn.h"

#define GRACE_NS 1000000000ull

static bool asks_stop(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

/* Async-signal-safe: the CLI calls it from its signal handlers. */
void rec_signal(struct recorder *r, int sig)
{
	struct rec_intr *x = &r->intr;
	pid_t root = __atomic_load_n(&x->root, __ATOMIC_ACQUIRE);
	if (asks_stop(sig)) {
		if (__atomic_fetch_add(&x->nstops, 1, __ATOMIC_ACQ_REL) > 0)
			return;      /* passed on once; the second one ends it now */
		__atomic_store_n(&x->first_ns, now_ns(), __ATOMIC_RELEASE);
		__atomic_store_n(&x->first_sig, sig, __ATOMIC_RELEASE);
	}
	if (root > 0)
		kill(sig == SIGINT || sig == SIGQUIT ? -root : root, sig);
}

void rec_job_stopped(struct recorder *r, struct task *t, int sig)
{
	const struct record_opts *o = r->opts;
	if (!o->job_stop || !spawn_tty_given() || t->tid != r->root)
		return;
	/* A shell whose job stopped takes the terminal back; its job here
	 * is the caller (the CLI), which stops the same way for the shell
	 * to see: a process-wide act, so the caller's. */
	o->job_stop(o->job_ctx, sig);
}

void rec_signals_start(struct recorder *r, pid_t root)
{
	__atomic_store_n(&r->intr.root, root, __ATOMIC_RELEASE);
}

void rec_signals_end(struct recorder *r)
{
	__atomic_store_n(&r->intr.root, 0, __ATOMIC_RELEASE);
}

bool rec_interrupted(struct recorder *r)
{
	return __atomic_load_n(&r->intr.stopping, __ATOMIC_ACQUIRE);
}

/* The first thread to see the time is up says why, once (in the
 * recorder: the session reports it). */
static void begin_stop(struct recorder *r, uint64_t now, const char *why)
{
	struct rec_intr *x = &r->intr;
	bool no = false;
	if (!__atomic_compare_exchange_n(&x->stopping, &no, true, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&x->stopping_ns, now, __ATOMIC_RELEASE);
	if (why)
		snprintf(x->why, sizeof(x->why), "%s", why);
	else
		snprintf(x->why, sizeof(x->why),
		         "SIG%s: %s; the program was killed and the trace ends here (it replays "
		         "up to this point)", sigabbrev_np(x->first_sig),
		         x->nstops > 1 ? "a second signal came before the program ended"
		                       : "the program had not ended a second later");
}

void rec_interrupt(struct recorder *r, const char *why)
{
	begin_stop(r, now_ns(), why);
	__atomic_store_n(&r->intr.nstops, 2, __ATOMIC_RELEASE);
}

void rec_check_interrupt(struct recorder *r)
{
	struct rec_intr *x = &r->intr;
	int n = __atomic_load_n(&x->nstops, __ATOMIC_ACQUIRE);
	if (!n)
		return;
	uint64_t now = now_ns();
	if (!rec_interrupted(r)) {
		uint64_t first = __atomic_load_n(&x->first_ns, __ATOMIC_ACQUIRE);
		if (n < 2 && (!first || now - first < GRACE_NS))
			return;
		begin_stop(r, now, NULL);
	}
	tracees_kill_all(&self->t);
	for (int i = 0; i < self->t.nearly; i++)
		kill(self->t.early[i].tid, SIGKILL);
	if (now - __atomic_load_n(&x->stopping_ns, __ATOMIC_ACQUIRE) > GRACE_NS)
		fatal("%s; its tasks had not died a second after SIGKILL", x->why);
}
