/* cpu.c -- CPU signature and time-stamp counter reads. */
#include "core/cpu.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>
#include <xxhash.h>

const char *cpu_signature(void)
{
	static char sig[128];
	if (sig[0])
		return sig;
	unsigned a, b, c, d;
	char vendor[13] = {0};
	__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	unsigned max = a;
	/* Feature words programs dispatch on: leaf 1 ecx/edx, leaf 7.0 ebx/
	 * ecx/edx, and the xsave area size (leaf 0xd). */
	uint32_t feat[8] = {0};
	__cpuid(1, a, b, c, d);
	unsigned family = ((a >> 8) & 0xf) + ((a >> 20) & 0xff);
	unsigned model = ((a >> 4) & 0xf) | ((a >> 12) & 0xf0);
	unsigned stepping = a & 0xf;
	feat[0] = c & ~(1u << 27);   /* OSXSAVE mirrors CR4, skip nothing else */
	feat[1] = d;
	if (max >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		feat[2] = b;
		feat[3] = c;
		feat[4] = d;
	}
	if (max >= 0xd) {
		__cpuid_count(0xd, 0, a, b, c, d);
		feat[5] = a;
		feat[6] = c;
	}
	snprintf(sig, sizeof(sig), "%s %u.%u.%u features=%016llx", vendor, family, model,
	         stepping, (unsigned long long)XXH3_64bits(feat, sizeof(feat)));
	return sig;
}

bool cpu_can_fault_cpuid(void)
{
	static int can = -1;
	if (can < 0) {
		/* Turned on for a moment on this thread, where nothing runs
		 * cpuid meanwhile. */
		can = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0;
		if (can)
			syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
	}
	return can;
}

static __thread bool cpuid_trapping;

void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	unsigned a, b, c, d;
	if (cpuid_trapping)
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
	__cpuid_count(leaf, subleaf, a, b, c, d);
	if (cpuid_trapping)
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
	out[0] = a;
	out[1] = b;
	out[2] = c;
	out[3] = d;
}

/* A cpuid of scribe's own, in a thread that traps it: answered here.  Any
 * other SIGSEGV is a crash: the default action, at once. */
void cpu_cpuid_answer(struct user_regs_struct *r, const uint32_t out[4])
{
	r->rax = out[0];             /* the upper halves are cleared */
	r->rbx = out[1];
	r->rcx = out[2];
	r->rdx = out[3];
	r->rip += 2;
}

static __thread bool trapping;

/* Sanitizer runtimes read the clock through the vDSO themselves: those
 * builds (for correctness, not speed) leave the TSC alone. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

#ifndef SANITIZED
static void on_own_cpuid(int sig, siginfo_t *si, void *ctx);

static void install_own_cpuid_handler(void)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = on_own_cpuid;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
}

static void on_own_cpuid(int sig, siginfo_t *si, void *ctx)
{
	greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	const uint8_t *ip = (const uint8_t *)g[REG_RIP];
	if (si->si_code != SI_KERNEL || ip[0] != 0x0f || ip[1] != 0xa2) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(sig, &dfl, NULL);     /* it faults again, and kills */
		return;
	}
	uint32_t out[4];
	cpu_cpuid((uint32_t)g[REG_RAX], (uint32_t)g[REG_RCX], out);
	g[REG_RAX] = out[0];
	g[REG_RBX] = out[1];
	g[REG_RCX] = out[2];
	g[REG_RDX] = out[3];
	g[REG_RIP] += 2;
}
#endif

static bool tracees_trap_cpuid;

void cpu_set_tracees_trap_cpuid(bool on)
{
	tracees_trap_cpuid = on;
}

void cpu_trap_cpuid(void)
{
#ifndef SANITIZED
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (!tracees_trap_cpuid)
		return;
	pthread_once(&once, install_own_cpuid_handler);
	if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0)
		cpuid_trapping = true;
#endif
}

void cpu_trap_tsc(void)
{
#ifndef SANITIZED
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) == 0)
		trapping = true;
#endif
}

static void allow_tsc(bool on)
{
	if (trapping)
		prctl(PR_SET_TSC, on ? PR_TSC_ENABLE : PR_TSC_SIGSEGV, 0, 0, 0);
}

uint64_t cpu_rdtsc(void)
{
	allow_tsc(true);
	uint64_t v = __rdtsc();
	allow_tsc(false);
	return v;
}

/* The tracer thread's view of the counter: real reads (two CR4 writes,
 * about 10 us here), and between them the raw monotonic clock scaled by
 * the rate the real reads show.  Both come from the same counter in the
 * kernel, so the estimate is off by a few cycles a millisecond at worst;
 * a real read at least every TSC_REAL_NS keeps it there.  What a tracee
 * is given is recorded, so replay is unaffected either way. */
#define TSC_REAL_NS  10000000ull        /* 10 ms */
#define TSC_BASE_NS  10000000ull        /* rate known from 10 ms apart */

static __thread struct {
	uint64_t tsc0, ns0;              /* this thread's first real read */
	uint64_t tsc, ns;                /* its latest */
	uint64_t last;                   /* the last value handed out */
} est;

static uint64_t raw_ns(void)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC_RAW, &ts);  /* no vDSO: it reads the TSC */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t cpu_tsc_now(void)
{
	uint64_t ns = trapping ? raw_ns() : 0, v;
	if (!trapping) {
		v = __rdtsc();               /* sanitizer builds: no trap to avoid */
	} else if (!est.ns0 || ns - est.ns >= TSC_REAL_NS || est.ns - est.ns0 < TSC_BASE_NS) {
		v = cpu_rdtsc();
		if (!est.ns0) {
			est.tsc0 = v;
			est.ns0 = ns;
		}
		est.tsc = v;
		est.ns = ns;
	} else {
		double rate = (double)(est.tsc - est.tsc0) / (double)(est.ns - est.ns0);
		v = est.tsc + (uint64_t)((double)(ns - est.ns) * rate);
	}
	if (v <= est.last)
		v = est.last + 1;            /* never backwards on one thread */
	est.last = v;
	return v;
}

/* Where the counter is now and how fast it runs (in 2^-32 cycles per ns
 * of the raw monotonic clock), for the loader stub to go on from
 * (sbuf.h tsc_base).  The rate is this thread's estimate once it spans a
 * millisecond; before that, the last one any thread had, or 1 cycle a ns
 * at the very start of a recording.  A rough rate costs nothing but
 * plausibility: the values handed out are recorded. */
void cpu_tsc_line(uint64_t *tsc, uint64_t *ns, uint64_t *mult)
{
	static uint64_t last_mult = 1ull << 32;
	*tsc = cpu_tsc_now();
	*ns = raw_ns();
	if (trapping && est.ns - est.ns0 >= 1000000)
		__atomic_store_n(&last_mult, (uint64_t)((double)(est.tsc - est.tsc0) /
		                                        (double)(est.ns - est.ns0) * 4294967296.0),
		                 __ATOMIC_RELAXED);
	*mult = __atomic_load_n(&last_mult, __ATOMIC_RELAXED);
}

uint64_t cpu_rdtscp(uint32_t *aux)
{
	unsigned a;
	allow_tsc(true);
	uint64_t v = __rdtscp(&a);
	allow_tsc(false);
	*aux = a;
	return v;
}
