/* record_chaos.c -- chaos mode (record --chaos[=SEED]): scheduling made
 * random, so that rare interleavings of a program's threads and processes
 * show up in the recordings instead of the one scribe's fixed slices make.
 *
 * The scheme is rr's chaos mode, on scribe's own scheduler: every slice
 * has a random length (100 us to about 25 ms of CPU, log-geometric, so both
 * short and long slices occur; half are under 200 us), the task that gets a free domain
 * is the one of highest random priority among its eligible parked tasks
 * (a task's priority is drawn again when its slice ends), and at a syscall
 * entry a task that has siblings waiting may be parked, letting one of
 * them run first, or delayed a little (which reorders it against other
 * processes).  Every decision goes through the recorder's ordinary
 * switch points -- EV_SWITCH, EV_PREEMPT with its signature -- so a chaos
 * trace replays exactly like any other, and replay needs nothing of this.
 * The seed is in the header (HDR_CHAOS); the draws are not reproducible
 * from it alone (the program's timing decides when each draw is made), it
 * names the run.  With chaos off none of this is called. */
#include "record/record_int.h"

#include <errno.h>
#include <time.h>

#include "core/slot.h"

#define CHAOS_MIN_SLICE_NS (100ull * 1000)
#define CHAOS_SLICE_STEPS  8        /* 100 us << 0..7, then up to twice that */
#define CHAOS_PARK_ONE_IN  8        /* park at a contended syscall entry (0: never) */
#define CHAOS_DELAY_ONE_IN 32       /* sleep before a syscall */
#define CHAOS_MAX_DELAY_NS (1000ull * 1000)

/* splitmix64 over an atomic counter: any tracer thread may draw. */
uint64_t rec_chaos_rand(struct recorder *r)
{
	uint64_t z = __atomic_add_fetch(&r->chaos_rng, 0x9e3779b97f4a7c15ull, __ATOMIC_RELAXED);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Geometric in the exponent: 100-200 us half of the time, 200-400 us a
 * quarter...  Short slices split a loop many times, so that two threads'
 * work interleaves finely; the long ones let a task run well ahead. */
uint64_t rec_chaos_slice_ns(struct recorder *r)
{
	unsigned k = (unsigned)__builtin_ctzll(rec_chaos_rand(r) | (1ull << (CHAOS_SLICE_STEPS - 1)));
	uint64_t base = CHAOS_MIN_SLICE_NS << k;
	return base + rec_chaos_rand(r) % base;
}

uint32_t rec_chaos_prio(struct recorder *r, struct task *t)
{
	if (!t->chaos_prio)
		rec_chaos_reprio(r, t);
	return t->chaos_prio;
}

void rec_chaos_reprio(struct recorder *r, struct task *t)
{
	t->chaos_prio = (uint32_t)rec_chaos_rand(r) | 1;
}

static void chaos_sleep(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

bool rec_chaos_syscall(struct recorder *r, struct task *t, int status)
{
	if (t->chaos_delayed) {
		t->chaos_delayed = false;   /* its turn came back: make the call */
		return false;
	}
	/* Inside the preload library the program's state is half-way through
	 * a buffered call: not a place to hand the domain over. */
	if (slot_in_call(t))
		return false;
	if (rec_chaos_rand(r) % CHAOS_DELAY_ONE_IN == 0)
		chaos_sleep(rec_chaos_rand(r) % CHAOS_MAX_DELAY_NS);
	bool contended;
	if (CHAOS_PARK_ONE_IN == 0 || !rec_holds(r, t, &contended) || !contended)
		return false;
	if (rec_chaos_rand(r) % (CHAOS_PARK_ONE_IN ? CHAOS_PARK_ONE_IN : 1))
		return false;
	/* Its buffered calls so far go before the switch: replay feeds them
	 * to it on its way to this stop, where it parks as here. */
	rec_sb_flush(r, t);
	t->chaos_delayed = true;
	t->slice_cpu0 = 0;
	rec_chaos_reprio(r, t);
	rec_park_release(r, t, status);
	return true;
}
