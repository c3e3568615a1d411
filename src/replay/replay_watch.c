/* replay_watch.c -- a replay that can no longer move ends with an error.
 *
 * Replay makes a task wait at several places for something another task
 * will do: its domain's turn, its group's turn (EV_SWITCH numbers), its
 * output's turn among every domain's output.  A damaged trace can make a
 * wait that nothing ends -- an output number that never comes, say.  Then
 * every tracer thread sleeps in waitpid while every tracee sits in a
 * ptrace stop, which only scribe can end: a deadlock, not a long
 * computation.  The watchdog (core/watch.c) fails the replay with one
 * line once that state held for two looks a second apart, with no stop
 * handled and no event consumed in between. */
#include "replay/replay_int.h"

#include "core/watch.h"
#include "replay/replay_ctl.h"

static uint64_t progress(void *arg)
{
	const struct replayer *r = arg;
	return __atomic_load_n(&r->events, __ATOMIC_RELAXED) +
	       __atomic_load_n(&r->stops, __ATOMIC_RELAXED);
}

static void stuck(void *arg, const char *tasks)
{
	const struct replayer *r = arg;
	(void)tasks;
	fatal("replay stuck after %llu events: every task waits for another (corrupt trace?)",
	      (unsigned long long)__atomic_load_n(&r->events, __ATOMIC_RELAXED));
}

/* A libscribe session stopped on purpose is not stuck. */
static bool paused(void *arg)
{
	return rp_ctl_paused(arg);
}

void rp_watch_start(struct replayer *r)
{
	r->watch = (struct watch){ .ws = &r->ws, .progress = progress, .stuck = stuck,
	                           .paused = paused, .arg = r, .looks = 2 };
	watch_start(&r->watch);
}

void rp_watch_stop(struct replayer *r)
{
	watch_stop(&r->watch);
}
