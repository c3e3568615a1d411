/* rdtsc: rdtsc and rdtscp values (and rdtscp's aux) replay as recorded. */
#include <stdio.h>
#include <x86intrin.h>

int main(void)
{
	for (int i = 0; i < 5; i++) {
		unsigned long long a = __rdtsc();
		unsigned int aux;
		unsigned long long b = __rdtscp(&aux);
		printf("rdtsc %llu rdtscp %llu aux %u\n", a, b, aux);
	}
	return 0;
}
