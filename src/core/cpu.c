/* cpu.c -- CPU signature, time-stamp counter reads, cpuid as tracees see it. */
#include "core/cpu.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
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

static __thread bool cpuid_trapping;

#ifndef SANITIZED
/* A cpuid in a tracer thread that traps it (a library's: zstd asks for
 * BMI2 when it makes a context): answered here with the real one.
 * Anything else is a real SIGSEGV, and kills scribe as it would have. */
static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	const uint8_t *ip = (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP];
	if (cpuid_trapping && si->si_code == SI_KERNEL && ip[0] == 0x0f && ip[1] == 0xa2) {
		unsigned a, b, c, d;
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
		__cpuid_count((uint32_t)uc->uc_mcontext.gregs[REG_RAX],
		              (uint32_t)uc->uc_mcontext.gregs[REG_RCX], a, b, c, d);
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
		uc->uc_mcontext.gregs[REG_RAX] = a;
		uc->uc_mcontext.gregs[REG_RBX] = b;
		uc->uc_mcontext.gregs[REG_RCX] = c;
		uc->uc_mcontext.gregs[REG_RDX] = d;
		uc->uc_mcontext.gregs[REG_RIP] += 2;
		return;
	}
	signal(sig, SIG_DFL);
	if (si->si_code <= 0)
		raise(sig);          /* sent: pending until we return, then fatal */
}

/* Set once by the CLI (cpu_own_process), never by the library. */
static bool cpuid_trap_ok;
#endif

void cpu_own_process(void)
{
#ifndef SANITIZED
	if (!cpu_cpuid_faults())
		return;
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	sigaction(SIGSEGV, &sa, NULL);
	cpuid_trap_ok = true;
#endif
}

void cpu_trap_tsc(void)
{
#ifndef SANITIZED
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) == 0)
		trapping = true;
	/* Likewise cpuid, where tracees fault on it: switching between a
	 * thread that does and one that does not writes an MSR, another exit
	 * to the hypervisor (measured: 45 us a traced call against 18).
	 * Only where the process is scribe's own (the CLI): a cpuid of a
	 * library used on this thread (zstd's, a caller's callback) then
	 * needs on_segv, and a library installs no signal handler. */
	if (cpuid_trap_ok && syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0)
		cpuid_trapping = true;
#endif
}

static void allow_tsc(bool on)
{
	if (trapping)
		prctl(PR_SET_TSC, on ? PR_TSC_ENABLE : PR_TSC_SIGSEGV, 0, 0, 0);
}

void cpu_allow_tsc(bool on) { allow_tsc(on); }

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

bool cpu_cpuid_faults(void)
{
	/* Tried once on the first thread that asks, for a moment: the kernel
	 * refuses (ENODEV) where the CPU or the hypervisor lacks the feature.
	 * Threads racing here all find the same answer. */
	static volatile int known;      /* 0 unknown, 1 no, 2 yes */
	if (!known && getenv("SCRIBE_NO_CPUID"))
		known = 1;                  /* for comparison: cpuid as the CPU has it */
	if (!known) {
		long was = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);   /* 1: it runs */
		bool yes = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0;
		if (yes && was == 1)
			syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
		known = yes ? 2 : 1;
	}
	return known == 2;
}

#define BIT(n) (1u << (n))

/* The answers given so far: a trapped cpuid of a tracee (ld.so's few
 * that the loader stub cannot take, in every process) then costs no
 * cpuid and no two MSR writes of this thread's faulting, three exits to
 * the hypervisor.  The answers are the machine's: the same for every
 * thread and every recording. */
#define SEEN_MAX 512        /* loader.c's table asks some 200 */
static struct { uint32_t leaf, sub, out[4]; } seen[SEEN_MAX];
static int nseen;
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;

static void cpuid_answer(uint32_t leaf, uint32_t sub, uint32_t out[4]);

void cpu_cpuid_seen(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	pthread_mutex_lock(&seen_mu);
	for (int i = 0; i < nseen; i++)
		if (seen[i].leaf == leaf && seen[i].sub == sub) {
			memcpy(out, seen[i].out, sizeof(seen[i].out));
			pthread_mutex_unlock(&seen_mu);
			return;
		}
	pthread_mutex_unlock(&seen_mu);
	cpuid_answer(leaf, sub, out);
	pthread_mutex_lock(&seen_mu);
	if (nseen < SEEN_MAX) {
		seen[nseen].leaf = leaf;
		seen[nseen].sub = sub;
		memcpy(seen[nseen++].out, out, sizeof(seen[0].out));
	}
	pthread_mutex_unlock(&seen_mu);
}

static void cpuid_answer(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	unsigned a, b, c, d;
	if (cpuid_trapping)
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
	__cpuid_count(leaf, sub, a, b, c, d);
	if (cpuid_trapping)
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
	switch (leaf) {
	case 1:
		b &= 0x00ffffff;                        /* initial APIC id */
		c &= ~BIT(30);                          /* RDRAND */
		break;
	case 7:
		if (sub == 0) {
			b &= ~(BIT(4) | BIT(11) | BIT(18));  /* HLE, RTM, RDSEED */
			c &= ~BIT(22);                  /* RDPID */
		}
		break;
	case 0xb: case 0x1f:
		d = 0;                                  /* x2APIC id */
		break;
	case 0x8000001e:
		a = 0;                                  /* extended APIC id */
		b &= ~0xffu;                            /* compute unit id */
		c &= ~0xffu;                            /* node id */
		break;
	}
	out[0] = a;
	out[1] = b;
	out[2] = c;
	out[3] = d;
}
