/* raw.h -- system calls made by the preload library itself, without libc
 * (whose functions it wraps): traced ones, which stop at the filter like
 * the program's, and untraced ones through the scribe page. */
#ifndef SCRIBE_PRELOAD_RAW_H
#define SCRIBE_PRELOAD_RAW_H

#include "preload/sbuf.h"

static inline long traced(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

/* Through the scribe page's "syscall; ret" (needs -mno-red-zone). */
static inline long untraced(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("call *%[fn]"
	                 : "=a"(ret)
	                 : [fn] "r"(SB_UNTRACED_CALL), "a"(nr), "D"(a), "S"(b), "d"(c),
	                   "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

/* A raw result that is an error (-errno), not a value. */
static inline int raw_failed(long r)
{
	return r < 0 && r > -4096;
}

#endif
