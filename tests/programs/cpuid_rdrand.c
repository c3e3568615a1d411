/* cpuid_rdrand.c -- draw random numbers the way libraries do on x86: ask
 * cpuid whether the CPU has RDRAND, and if so take them from the CPU (an
 * instruction no tracer can trap, as libstdc++'s std::random_device and
 * LibreOffice's lock file do), else from getrandom().  Also prints the
 * feature words a library dispatches on.  Two native runs differ. */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

static int rdrand(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

int main(void)
{
	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	int has = (c >> 30) & 1;
	printf("leaf 1: eax %08x ecx %08x edx %08x\n", a, c, d);
	for (int i = 0; i < 4; i++) {
		uint64_t v = 0;
		if (has) {
			while (!rdrand(&v))
				;
		} else if (getrandom(&v, sizeof(v), 0) != sizeof(v)) {
			return 1;
		}
		printf("random %016llx\n", (unsigned long long)v);
	}
	return 0;
}
