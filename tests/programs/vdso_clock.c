/* vdso_clock: find the vDSO through getauxval(AT_SYSINFO_EHDR), look up
 * its clock_gettime, gettimeofday, time and getcpu among its dynamic
 * symbols (as libc does: PT_DYNAMIC, DT_HASH), and call them through the
 * pointers found.  Prints the times (which differ between runs) and a
 * hash of the vDSO's bytes with its address (which replay must match). */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>

static uintptr_t base;
static const ElfW(Sym) *symtab;
static const char *strtab;
static uint32_t nsyms;

static int load(void)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return -1;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	intptr_t bias = 0;
	const ElfW(Dyn) *dyn = NULL;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !bias)
			bias = (intptr_t)base + ph[i].p_offset - ph[i].p_vaddr;
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(base + ph[i].p_offset);
	}
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			symtab = (const ElfW(Sym) *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			strtab = (const char *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			nsyms = ((const uint32_t *)(bias + dyn->d_un.d_ptr))[1];
	}
	base = (uintptr_t)bias;
	return symtab && strtab && nsyms ? 0 : -1;
}

static void *sym(const char *name)
{
	for (uint32_t i = 0; i < nsyms; i++)
		if (symtab[i].st_shndx != SHN_UNDEF && !strcmp(strtab + symtab[i].st_name, name))
			return (void *)(base + symtab[i].st_value);
	return NULL;
}

/* The image's size: the end of its last loaded segment. */
static size_t image_size(uintptr_t at)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)at;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(at + eh->e_phoff);
	size_t end = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > end)
			end = ph[i].p_offset + ph[i].p_filesz;
	return end;
}

int main(void)
{
	uintptr_t at = getauxval(AT_SYSINFO_EHDR);
	if (!at) {
		printf("no vDSO (AT_SYSINFO_EHDR is 0)\n");
		return 1;
	}
	base = at;
	if (load() < 0) {
		printf("cannot read the vDSO's dynamic symbols\n");
		return 1;
	}
	int (*cg)(clockid_t, struct timespec *) = sym("__vdso_clock_gettime");
	int (*gtod)(struct timeval *, void *) = sym("__vdso_gettimeofday");
	time_t (*tm)(time_t *) = sym("__vdso_time");
	long (*gc)(unsigned *, unsigned *, void *) = sym("__vdso_getcpu");
	if (!cg || !gtod || !tm) {
		printf("the vDSO lacks a time function\n");
		return 1;
	}
	struct timespec a, b;
	struct timeval tv;
	if (cg(CLOCK_MONOTONIC, &a) || cg(CLOCK_REALTIME, &b) || gtod(&tv, NULL)) {
		printf("a vDSO call failed\n");
		return 1;
	}
	printf("monotonic %lld.%09ld\n", (long long)a.tv_sec, a.tv_nsec);
	printf("realtime %lld.%09ld\n", (long long)b.tv_sec, b.tv_nsec);
	printf("gettimeofday %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
	time_t t2, t1 = tm(&t2);
	printf("time %lld %s\n", (long long)t1, t1 == t2 ? "stored" : "not stored");
	unsigned cpu = ~0u;
	if (gc) {
		long rc = gc(&cpu, NULL, NULL);
		printf("getcpu %ld %s\n", rc, cpu != ~0u ? "set" : "unset");
	}
	/* FNV-1a over the image as the program sees it. */
	size_t n = image_size(at);
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const uint8_t *)at)[i]) * 1099511628211ull;
	printf("vdso %#lx %zu bytes hash %016llx\n", (unsigned long)at, n, (unsigned long long)h);
	return 0;
}
