/* replay_watch.c -- a replay that can no longer move ends with an error.
 *
 * Replay makes a task wait at several places for something another task
 * will do: its domain's turn, its group's turn (EV_SWITCH numbers), its
 * output's turn among every domain's output.  A damaged trace can make a
 * wait that nothing ends -- an output number that never comes, say.  Then
 * every tracer thread sleeps in waitpid while every tracee sits in a
 * ptrace stop, which only scribe can end: a deadlock, not a long
 * computation.  A watchdog thread looks once a second; that state held
 * for two looks in a row, with no stop handled and no event consumed in
 * between, fails the replay with one line.  It costs nothing while the
 * replay moves: /proc is read only after a second without progress. */
#include "replay/replay_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The state letter of a thread (/proc/PID/task/TID/stat), or 0. */
static char thread_state(pid_t pid, pid_t tid)
{
	char buf[512];
	return proc_state(proc_text(buf, sizeof(buf), "/proc/%d/task/%d/stat", pid, tid));
}

static bool is_worker(const struct replayer *r, pid_t tid)
{
	for (int i = 0; i < r->ws.n; i++)
		if (r->ws.w[i].tid == tid)
			return true;
	return false;
}

/* The tracer of a thread (its TracerPid), or 0. */
static pid_t tracer_of(pid_t pid, pid_t tid)
{
	char buf[2048];
	const char *p = strstr(proc_text(buf, sizeof(buf), "/proc/%d/task/%d/status", pid, tid),
	                       "\nTracerPid:");
	return p ? atoi(p + 11) : 0;
}

/* Is every thread we trace in a ptrace stop?  (A tracee that runs, or
 * sleeps in a real call, may still move things on.) */
static bool tracees_all_stopped(const struct replayer *r)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return false;
	bool all = true;
	struct dirent *de;
	while (all && (de = readdir(proc))) {
		pid_t pid = atoi(de->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		DIR *tasks = opendir(path);
		if (!tasks)
			continue;
		struct dirent *te;
		while (all && (te = readdir(tasks))) {
			pid_t tid = atoi(te->d_name);
			if (tid > 0 && is_worker(r, tracer_of(pid, tid)) &&
			    thread_state(pid, tid) != 't')
				all = false;
		}
		closedir(tasks);
	}
	closedir(proc);
	return all;
}

/* Is tracer thread tid waiting for a tracee (waitpid) or for work (a
 * condition variable)?  Not, say, writing the program's output to a pipe
 * nobody reads yet: that wait is the reader's to end. */
static bool waits_for_us(pid_t tid)
{
	char wchan[64];
	proc_text(wchan, sizeof(wchan), "/proc/%d/task/%d/wchan", getpid(), tid);
	return thread_state(getpid(), tid) == 'S' &&
	       (strcmp(wchan, "do_wait") == 0 || strstr(wchan, "futex"));
}

static bool workers_all_asleep(const struct replayer *r)
{
	for (int i = 0; i < r->ws.n; i++)
		if (!waits_for_us(r->ws.w[i].tid))
			return false;
	return true;
}

/* Wait up to a second for the end of the replay; true once it came. */
static bool wait_done(struct workers *ws)
{
	pthread_mutex_lock(&ws->mu);
	if (!ws->done) {
		uint64_t deadline = now_ns() + 1000000000ull;
		struct timespec ts = { deadline / 1000000000ull, deadline % 1000000000ull };
		pthread_cond_timedwait(&ws->cv, &ws->mu, &ts);
	}
	bool done = ws->done;
	pthread_mutex_unlock(&ws->mu);
	return done;
}

static uint64_t progress(const struct replayer *r)
{
	return __atomic_load_n(&r->events, __ATOMIC_RELAXED) +
	       __atomic_load_n(&r->stops, __ATOMIC_RELAXED);
}

static void *watch(void *arg)
{
	struct replayer *r = arg;
	uint64_t last = (uint64_t)-1;
	int strikes = 0;
	while (!wait_done(&r->ws)) {
		uint64_t now = progress(r);
		if (rp_ctl_paused(r)) {     /* a session stopped on purpose */
			strikes = 0;
			continue;
		}
		if (now != last) {
			last = now;
			strikes = 0;
			continue;
		}
		bool stuck = workers_all_asleep(r) && tracees_all_stopped(r) &&
		             workers_all_asleep(r) && progress(r) == last;
		strikes = stuck ? strikes + 1 : 0;
		if (strikes >= 2)
			fatal("replay stuck after %llu events: every task waits for another "
			      "(corrupt trace?)",
			      (unsigned long long)__atomic_load_n(&r->events, __ATOMIC_RELAXED));
	}
	return NULL;
}

void rp_watch_start(struct replayer *r)
{
	if (pthread_create(&r->watcher, NULL, watch, r) != 0)
		fatal("cannot start the replay's watchdog thread");
}

void rp_watch_stop(struct replayer *r)
{
	pthread_join(r->watcher, NULL);
}
