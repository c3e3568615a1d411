/* cpuid_ldso: prints what glibc's ld.so learnt from cpuid at start-up
 * (<sys/platform/x86.h>: the leaves it keeps, asked before main by its
 * own cpuid instructions) next to what cpuid answers main now, and
 * whether they agree.  Under scribe ld.so's cpuids are answered by the
 * loader stub from the tracer's table, main's by a trap: both must be
 * the tracer's answer, without RDRAND and with APIC id 0. */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <sys/platform/x86.h>

static int show(const char *name, unsigned index, unsigned leaf, unsigned sub)
{
	const struct cpuid_feature *f = __x86_get_cpuid_feature_leaf(index);
	unsigned r[4];
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
	int same = !memcmp(f->cpuid_array, r, sizeof(r));
	printf("%s: ld.so %08x %08x %08x %08x, cpuid %08x %08x %08x %08x: %s\n", name,
	       f->cpuid_array[0], f->cpuid_array[1], f->cpuid_array[2], f->cpuid_array[3],
	       r[0], r[1], r[2], r[3], same ? "same" : "DIFFERENT");
	return same;
}

int main(void)
{
	int ok = show("leaf 1", CPUID_INDEX_1, 1, 0);
	ok &= show("leaf 7", CPUID_INDEX_7, 7, 0);
	ok &= show("leaf 80000001", CPUID_INDEX_80000001, 0x80000001, 0);
	ok &= show("leaf d.1", CPUID_INDEX_D_ECX_1, 0xd, 1);
	printf("ld.so: APIC id %u, RDRAND %d\n",
	       __x86_get_cpuid_feature_leaf(CPUID_INDEX_1)->cpuid_array[1] >> 24,
	       CPU_FEATURE_PRESENT(RDRAND) ? 1 : 0);
	return ok ? 0 : 1;
}
