/* testutil.h -- small helpers shared by the test programs. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* "ok", or the name of errno after a failed call. */
static inline const char *en(long r)
{
	return r < 0 ? strerrorname_np(errno) : "ok";
}

/* "0", "123" or "-1 ENOENT": what a call returned, errno by name (four
 * buffers in turn, so one printf may show several). */
static inline const char *res(long ret)
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];
	if (ret == -1)
		snprintf(b, sizeof buf[0], "-1 %s", strerrorname_np(errno));
	else
		snprintf(b, sizeof buf[0], "%ld", ret);
	return b;
}

/* Microseconds of CLOCK_MONOTONIC: programs whose counts may repeat from
 * run to run print how long they took too (tests/lib.sh, nondet). */
static inline long long mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* FNV-1a: a checksum to print for data that differs between runs. */
static inline uint32_t fnv(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* n steps of a 64-bit LCG from acc: computation without a syscall, long
 * enough to be preempted in (a state that changes at every step). */
static inline uint64_t lcg_spin(uint64_t acc, long n)
{
	for (long i = 0; i < n; i++)
		acc = acc * 6364136223846793005ull + 1442695040888963407ull + (uint64_t)i;
	return acc;
}

/* Wait up to 5 s for fd to be readable: POLLIN, or -1. */
static inline int wait_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 5000) == 1 ? p.revents & POLLIN : -1;
}

#endif
