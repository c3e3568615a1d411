/* gdb_crash.c -- for gdb on a replay, from a crash to its cause: a loop
 * fills a table and, by an off-by-one, overwrites the pointer stored
 * after it; much later the pointer is used and the program dies of
 * SIGSEGV. */
#include <stdio.h>

struct state {
	long table[8];
	long *counter;            /* the off-by-one's victim */
};

static long count;
static struct state st = { .counter = &count };

static volatile int size = 8;

__attribute__((noinline)) void fill(long seed)
{
	long *t = st.table;
	for (int i = 0; i <= size; i++)     /* <= : the bug */
		t[i] = seed + i;
}

__attribute__((noinline)) void work(int rounds)
{
	for (int i = 0; i < rounds; i++)
		(*st.counter)++;
}

int main(void)
{
	printf("start\n");
	fflush(stdout);
	fill(1000);
	printf("filled\n");
	fflush(stdout);
	work(3);
	printf("count %ld\n", count);
	return 0;
}
