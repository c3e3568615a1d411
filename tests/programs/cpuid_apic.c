/* cpuid_apic: prints the APIC id cpuid leaf 1 gives (ebx bits 31-24: the
 * CPU the caller runs on) from the main thread and from a second thread,
 * as Go's runtime and ld.so read leaf 1 at start-up.  Two runs pinned to
 * different CPUs print different ids. */
#include <cpuid.h>
#include <pthread.h>
#include <stdio.h>

static unsigned apic_id(void)
{
	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	return b >> 24;
}

static void *thread(void *arg)
{
	*(unsigned *)arg = apic_id();
	return NULL;
}

int main(void)
{
	unsigned main_id = apic_id(), thread_id;
	pthread_t t;
	pthread_create(&t, NULL, thread, &thread_id);
	pthread_join(t, NULL);
	printf("main thread on APIC %u, second thread on APIC %u\n", main_id, thread_id);
	return 0;
}
