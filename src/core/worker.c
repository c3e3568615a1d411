/* worker.c -- tracer threads pinned to CPUs, and handing tasks between them. */
#include "core/worker.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/page.h"
#include "core/ptrace.h"
#include "core/reaper.h"
#include "core/spawn.h"

__thread struct worker *self;

void pin_task(pid_t tid, int cpu)
{
	if (cpu < 0)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(tid, sizeof(set), &set);
}

static int test_park_ms;

void workers_init(struct workers *ws, int max)
{
	/* SCRIBE_THREADS=N caps the tracer threads (diagnostics, benchmarks). */
	const char *env = getenv("SCRIBE_THREADS");
	if (env && atoi(env) > 0)
		max = MIN(max, atoi(env));
	memset(ws, 0, sizeof(*ws));
	pthread_mutex_init(&ws->mu, NULL);
	pthread_cond_init(&ws->cv, NULL);
	cpu_set_t set;
	int here = spawn_pick_cpu();
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		CPU_ZERO(&set);
	/* Worker 0 takes the CPU we run on; the others, the rest. */
	ws->w[0].cpu = here;
	ws->n = 1;
	for (int c = 0; c < CPU_SETSIZE && ws->n < MIN(max, MAX_WORKERS); c++)
		if (CPU_ISSET(c, &set) && c != here)
			ws->w[ws->n++].cpu = c;
	for (int i = 0; i < ws->n; i++)
		ws->w[i].id = i;
	self = &ws->w[0];
	/* Tasks move between threads only when there are several. */
	if (ws->n > 1 && reaper_start() < 0)
		warn("cannot start the reaper (%s): a task moving between tracer threads "
		     "when scribe is killed may be left behind", strerror(errno));
	/* SCRIBE_TEST_PARK_MS=N keeps each moving task parked N ms longer
	 * (tests/cases/reaper.serial.sh kills scribe in that window). */
	const char *park = getenv("SCRIBE_TEST_PARK_MS");
	test_park_ms = park ? atoi(park) : 0;
	self->tid = (pid_t)syscall(SYS_gettid);
	self->thread = pthread_self();
	spawn_pin_self(here);
	cpu_trap_tsc();
}

struct start {
	struct worker *w;
	void *(*fn)(void *);
};

static void *trampoline(void *arg)
{
	struct start st = *(struct start *)arg;
	free(arg);
	self = st.w;
	self->tid = (pid_t)syscall(SYS_gettid);
	spawn_pin_self(self->cpu);
	cpu_trap_tsc();
	return st.fn(st.w);
}

void workers_start(struct workers *ws, void *(*fn)(void *))
{
	for (int i = 1; i < ws->n; i++) {
		struct start *st = xmalloc(sizeof(*st));
		st->w = &ws->w[i];
		st->fn = fn;
		if (pthread_create(&ws->w[i].thread, NULL, trampoline, st) != 0)
			fatal("cannot start a tracer thread");
	}
	/* Wait until every worker knows its kernel tid (worker_wake). */
	for (int i = 1; i < ws->n; i++)
		while (!__atomic_load_n(&ws->w[i].tid, __ATOMIC_ACQUIRE))
			sched_yield();
}

void workers_join(struct workers *ws)
{
	for (int i = 1; i < ws->n; i++)
		pthread_join(ws->w[i].thread, NULL);
}

/* Interrupting waitpid is the point; a tick (a timer's signal, whose
 * value is its worker) is also noted in the worker, since one that comes
 * while the thread is not in waitpid interrupts nothing.  No TLS here: in
 * a dlopen'ed libscribe, a handler's first TLS access may allocate. */
static void on_wake(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si && si->si_code == SI_TIMER && si->si_value.sival_ptr)
		__atomic_store_n(&((struct worker *)si->si_value.sival_ptr)->tick_fired, 1,
		                 __ATOMIC_RELAXED);
}

void worker_wake_handler(bool only_if_default)
{
	struct sigaction old, sa = {0};
	sigaction(SIGALRM, NULL, &old);
	if (!only_if_default || old.sa_handler == SIG_DFL) {
		sa.sa_sigaction = on_wake;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGALRM, &sa, NULL);
	}
}

bool worker_tick_fired(struct worker *w)
{
	return __atomic_exchange_n(&w->tick_fired, 0, __ATOMIC_RELAXED) != 0;
}

void worker_start_tick(struct worker *w, long period_ns)
{
	struct sigevent sev = {0};
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev.sigev_value.sival_ptr = w;
	sev._sigev_un._tid = w->tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &w->tick) < 0)
		fatal("cannot create the scheduler tick: %s", strerror(errno));
	struct itimerspec it = { { 0, period_ns }, { 0, period_ns } };
	timer_settime(w->tick, 0, &it, NULL);
	w->ticking = true;
}

void workers_task_born(struct workers *ws)
{
	pthread_mutex_lock(&ws->mu);
	ws->live++;
	pthread_mutex_unlock(&ws->mu);
}

bool workers_task_died(struct workers *ws)
{
	pthread_mutex_lock(&ws->mu);
	bool last = --ws->live == 0;
	if (last) {
		ws->done = true;
		pthread_cond_broadcast(&ws->cv);
	}
	pthread_mutex_unlock(&ws->mu);
	if (last)
		for (int i = 0; i < ws->n; i++)
			if (&ws->w[i] != self)
				worker_wake(&ws->w[i]);
	return last;
}

void workers_end(struct workers *ws)
{
	pthread_mutex_lock(&ws->mu);
	ws->done = true;
	pthread_cond_broadcast(&ws->cv);
	pthread_mutex_unlock(&ws->mu);
}

bool workers_done(struct workers *ws)
{
	pthread_mutex_lock(&ws->mu);
	bool d = ws->done;
	pthread_mutex_unlock(&ws->mu);
	return d;
}

void workers_kill_all(struct workers *ws)
{
	/* No lock: this runs in fatal() and in signal handlers. */
	for (int i = 0; i < ws->n; i++) {
		tracees_kill_all(&ws->w[i].t);
		/* A task moving between threads is detached, parked in pause()
		 * on the scribe page: in no thread's table, it would outlive
		 * us. */
		for (struct handoff *h = ws->w[i].inbox; h; h = h->next)
			if (h->task)
				kill(h->task->tid, SIGKILL);
	}
}

void workers_domain_gone(struct workers *ws, struct worker *w)
{
	pthread_mutex_lock(&ws->mu);
	if (w->ndomains > 0)
		w->ndomains--;
	pthread_mutex_unlock(&ws->mu);
}

/* Moving a new domain to another tracer thread costs its first stops a
 * detach, a seize and cross-CPU wake-ups (a loop of /bin/true recorded
 * 15-20% slower with half its children moved), and a parent usually waits
 * for its child: so a child stays unless another CPU has less to do. */
static long load(struct worker *w, struct worker *here, int discount)
{
	if (discount) {
		long busy = __atomic_load_n(&w->nbusy, __ATOMIC_RELAXED) - (w == here);
		return busy > 0 ? busy : 0;
	}
	return w->ndomains;
}

struct worker *workers_pick(struct workers *ws, struct worker *here, int discount)
{
	pthread_mutex_lock(&ws->mu);
	struct worker *best = here;
	for (int i = 0; i < ws->n; i++)
		if (load(&ws->w[i], here, discount) < load(best, here, discount))
			best = &ws->w[i];
	best->ndomains++;
	pthread_mutex_unlock(&ws->mu);
	return best;
}

void sched_busy_on(struct sched *s, struct worker *w)
{
	if (s->busy_on == w)
		return;
	if (s->busy_on)
		__atomic_fetch_sub(&s->busy_on->nbusy, 1, __ATOMIC_RELAXED);
	if (w)
		__atomic_fetch_add(&w->nbusy, 1, __ATOMIC_RELAXED);
	s->busy_on = w;
}

void worker_move(struct workers *ws, struct worker *to, struct task *t, int status)
{
	struct handoff *h = xcalloc(1, sizeof(*h));
	h->kind = HANDOFF_MOVE;
	h->task = t;
	h->status = status;
	pt_getregs(t->tid, &h->regs);
	tracees_unlink(&self->t, t);
	page_park_detach(t->tid, &h->regs);
	if (test_park_ms > 0) {
		struct timespec ts = { test_park_ms / 1000, test_park_ms % 1000 * 1000000L };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	worker_send(ws, to, h);
}

void worker_send(struct workers *ws, struct worker *to, struct handoff *h)
{
	pthread_mutex_lock(&ws->mu);
	h->next = NULL;
	struct handoff **pp = &to->inbox;
	while (*pp)
		pp = &(*pp)->next;
	*pp = h;
	pthread_cond_broadcast(&ws->cv);
	pthread_mutex_unlock(&ws->mu);
	worker_wake(to);
}

struct handoff *worker_take(struct workers *ws, struct worker *w)
{
	pthread_mutex_lock(&ws->mu);
	struct handoff *h = w->inbox;
	if (h)
		w->inbox = h->next;
	pthread_mutex_unlock(&ws->mu);
	return h;
}

void worker_wake(struct worker *w)
{
	if (w->tid)
		syscall(SYS_tgkill, getpid(), w->tid, SIGALRM);
}

uint64_t worker_idle(struct workers *ws, struct worker *w)
{
	uint64_t stuck = 0;
	bool all = false;
	pthread_mutex_lock(&ws->mu);
	if (!w->inbox && !ws->done) {
		/* Every worker here at once with nothing handed over: no
		 * tracee is left anywhere, whatever `live` says. */
		bool pending = false;
		for (int i = 0; i < ws->n; i++)
			pending |= ws->w[i].inbox != NULL;
		uint64_t now = now_ns();
		all = ++ws->nidle == ws->n && !pending;
		if (all) {
			if (!ws->all_idle_since)
				ws->all_idle_since = now;
			stuck = now - ws->all_idle_since;
		}
		uint64_t deadline = now + 20 * 1000000ull;
		struct timespec ts = { deadline / 1000000000ull, deadline % 1000000000ull };
		pthread_cond_timedwait(&ws->cv, &ws->mu, &ts);
		ws->nidle--;
	}
	if (!all)
		ws->all_idle_since = 0;
	pthread_mutex_unlock(&ws->mu);
	return stuck;
}
