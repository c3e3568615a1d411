/* watch.h -- the watchdog of record and replay: a run that can no longer
 * move ends with an error instead of hanging.
 *
 * Stuck means: every tracer thread sleeps waiting for a tracee or for
 * work, every tracee sits in a ptrace stop (or is a zombie waiting for
 * its threads), and the caller's progress count has not moved -- a
 * deadlock only scribe could end, not a long computation or a long call.
 * A caller may also see a run starve while it moves (`starved`).
 * A thread looks once a second; that state seen `looks` times in a row
 * calls `stuck` with one line naming each task and its state.  It costs
 * nothing while the run moves: /proc is read only after a second without
 * progress. */
#ifndef SCRIBE_WATCH_H
#define SCRIBE_WATCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/worker.h"

struct watch {
	struct workers *ws;
	uint64_t (*progress)(void *arg);
	/* Optional: false while a wait that is not a deadlock goes on
	 * (record: a process in a group-stop, waiting for SIGCONT). */
	bool (*may_be_stuck)(void *arg);
	/* Optional: are the tracer threads all waiting (for a tracee or for
	 * work)?  Without it, /proc says, which a thread woken by a periodic
	 * tick and left waiting for a CPU fools on a busy machine. */
	bool (*workers_waiting)(void *arg);
	/* Reports and ends the run (it may be called again until the run
	 * has ended); tasks: "TID (COMM) STATE; ..." */
	void (*stuck)(void *arg, const char *tasks);
	/* Optional: true while the run is stopped on purpose (a libscribe
	 * replay session at a stop): not stuck. */
	bool (*paused)(void *arg);
	/* Optional, asked each second: is the run stuck although its tasks
	 * move, for a reason only the caller sees (record: a signal held
	 * back from a task for `looks` seconds while the task runs -- the
	 * program waits for it, scribe never lets it in)?  If so it reports
	 * and ends the run, as stuck does, and returns true. */
	bool (*starved)(void *arg);
	void *arg;
	int looks;
	pthread_t thread;       /* the watchdog's own, while it runs */
};

/* One watchdog per run, owned by the caller: start it with the tracer
 * threads, stop it after they are joined. */
void watch_start(struct watch *w);
void watch_stop(struct watch *w);

#endif
