/* watch.c -- the watchdog shared by record and replay (watch.h). */
#include "core/watch.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "syscalls/table.h"

/* The state letter of a thread (/proc/PID/task/TID/stat), or 0. */
static char thread_state(pid_t pid, pid_t tid)
{
	char buf[512];
	return proc_state(proc_text(buf, sizeof(buf), "/proc/%d/task/%d/stat", pid, tid));
}

static bool is_worker(const struct watch *spec, pid_t tid)
{
	for (int i = 0; i < spec->ws->n; i++)
		if (spec->ws->w[i].tid == tid)
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

/* One thread's state in words, appended to out. */
static void describe(struct buf *out, pid_t pid, pid_t tid, char state)
{
	char comm[64], sys[256], line[384];
	proc_text(comm, sizeof(comm), "/proc/%d/task/%d/comm", pid, tid);
	comm[strcspn(comm, "\n")] = 0;
	proc_text(sys, sizeof(sys), "/proc/%d/task/%d/syscall", pid, tid);
	long nr = strtol(sys, NULL, 10);
	const char *what;
	char at[96];
	if (state == 'Z') {
		what = tid == pid ? "exited, its process waiting for its other threads" : "exited";
	} else if (!strncmp(sys, "running", 7) || !sys[0]) {
		what = "stopped by scribe";
	} else if (nr < 0) {
		what = "stopped by scribe in user code";
	} else {
		snprintf(at, sizeof(at), "stopped by scribe at %s()", sys_name(nr));
		what = at;
	}
	snprintf(line, sizeof(line), "%s%d (%s) %s", out->len ? "; " : "", (int)tid, comm, what);
	buf_put(out, line, strlen(line));
}

/* Is every thread we trace stopped, in a ptrace stop or a zombie?  (One
 * that runs, or sleeps in a real call, may still move things on.)  With
 * out, each is described there. */
static bool tracees_all_stopped(const struct watch *spec, struct buf *out)
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
			if (tid <= 0 || !is_worker(spec, tracer_of(pid, tid)))
				continue;
			/* A zombie: a leader gone with SYS_exit, whose process
			 * lives on in its other threads, is still ours. */
			char st = thread_state(pid, tid);
			if (st != 't' && st != 'Z')
				all = false;
			else if (out)
				describe(out, pid, tid, st);
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

static bool workers_all_asleep(const struct watch *spec)
{
	if (spec->workers_waiting)
		return spec->workers_waiting(spec->arg);
	for (int i = 0; i < spec->ws->n; i++)
		if (!waits_for_us(spec->ws->w[i].tid))
			return false;
	return true;
}

/* Wait up to a second for the end of the run; true once it came. */
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

static bool stuck_now(const struct watch *spec, uint64_t last)
{
	return (!spec->may_be_stuck || spec->may_be_stuck(spec->arg)) && workers_all_asleep(spec) &&
	       tracees_all_stopped(spec, NULL) && workers_all_asleep(spec) &&
	       spec->progress(spec->arg) == last;
}

static void *watch(void *arg)
{
	const struct watch *spec = arg;
	uint64_t last = (uint64_t)-1;
	int strikes = 0;
	while (!wait_done(spec->ws)) {
		if (spec->starved && spec->starved(spec->arg))
			continue;
		uint64_t now = spec->progress(spec->arg);
		if (now != last || (spec->paused && spec->paused(spec->arg))) {
			last = now;
			strikes = 0;
			continue;
		}
		strikes = stuck_now(spec, last) ? strikes + 1 : 0;
		if (strikes >= spec->looks) {
			struct buf tasks = {0};
			tracees_all_stopped(spec, &tasks);
			buf_u8(&tasks, 0);
			spec->stuck(spec->arg, (const char *)tasks.p);
		}
	}
	return NULL;
}

void watch_start(struct watch *w)
{
	if (pthread_create(&w->thread, NULL, watch, w) != 0)
		fatal("cannot start the watchdog thread");
}

void watch_stop(struct watch *w)
{
	pthread_join(w->thread, NULL);
}
