/* vdso.c -- the vDSO a recorded program sees: the kernel's own, with each
 * function that answers from memory (the clock pages and the TSC, which
 * differ on replay) rewritten to make its system call, as rr does.  The
 * recorder then sees every time read as a syscall, and replay writes the
 * recorded image back, so the program finds the same bytes at the same
 * address, and getauxval(AT_SYSINFO_EHDR) works as it does natively. */
#include "core/vdso.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/elf.h"
#include "core/util.h"

/* mov $nr, %eax; syscall; ret: the arguments are already where the
 * syscall takes them (rdi, rsi, rdx), and the kernel's own fallback
 * returns the raw result (-errno) just like this. */
static size_t stub_syscall(uint8_t *out, long nr)
{
	uint32_t n = (uint32_t)nr;
	out[0] = 0xb8;
	memcpy(out + 1, &n, 4);
	memcpy(out + 5, "\x0f\x05\xc3", 3);
	return 8;
}

/* getrandom(buf, len, flags, state, state_len): a query for the state's
 * size (state_len == ~0) says -ENOSYS, so a caller never keeps random
 * state in its own memory; anything else is the getrandom syscall, as
 * the kernel's own fallback is. */
static size_t stub_getrandom(uint8_t *out, long nr)
{
	static const uint8_t query[] = {
		0x49, 0x83, 0xf8, 0xff,         /* cmp $-1, %r8 */
		0x74, 0x08,                     /* je nosys */
	};
	static const uint8_t nosys[] = {
		0x48, 0xc7, 0xc0, (uint8_t)-ENOSYS, 0xff, 0xff, 0xff,   /* mov $-ENOSYS, %rax */
		0xc3,                           /* ret */
	};
	memcpy(out, query, sizeof(query));
	size_t n = sizeof(query) + stub_syscall(out + sizeof(query), nr);
	memcpy(out + n, nosys, sizeof(nosys));
	return n + sizeof(nosys);
}

static const struct {
	const char *name;
	long nr;
	size_t (*stub)(uint8_t *out, long nr);
} fns[] = {
	{ "clock_gettime", SYS_clock_gettime, stub_syscall },
	{ "gettimeofday", SYS_gettimeofday, stub_syscall },
	{ "time", SYS_time, stub_syscall },
	{ "clock_getres", SYS_clock_getres, stub_syscall },
	{ "getcpu", SYS_getcpu, stub_syscall },
	{ "getrandom", SYS_getrandom, stub_getrandom },
};

/* Each function is exported as __vdso_NAME and as NAME, an alias of the
 * same code in the images seen so far; both are rewritten, in case one
 * is not. */
static const char *const prefixes[] = { "__vdso_", "" };
#define NFN (sizeof(fns) / sizeof(fns[0]) * 2)

int vdso_patch(uint8_t *img, size_t len)
{
	int patched = 0;
	for (size_t k = 0; k < NFN; k++) {
		size_t i = k / 2;
		char name[32];
		snprintf(name, sizeof(name), "%s%s", prefixes[k % 2], fns[i].name);
		uint64_t off, size;
		if (elf_dynsym(img, len, name, &off, &size) < 0)
			continue;               /* this kernel's vDSO has no such function */
		uint8_t code[32];
		size_t n = fns[i].stub(code, fns[i].nr);
		if (size < n) {
			err_set("the vDSO's %s is %llu bytes, too small to rewrite", name,
			        (unsigned long long)size);
			return -1;
		}
		memcpy(img + off, code, n);
		patched++;
	}
	if (!patched)
		err_set("no vDSO function found to rewrite");
	return patched ? patched : -1;
}
