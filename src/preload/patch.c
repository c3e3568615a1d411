/* patch.c -- send glibc's own calls of the wrapped functions to us too.
 *
 * LD_PRELOAD only catches calls that go through the PLT.  glibc calls its
 * own functions directly (stdio's writes go to __write, realpath's
 * readlinks to __readlink, readdir to __getdents64), and those are most
 * of the calls a compiler makes.  They are the same function bodies as
 * the exported symbols, so the library rewrites the first instructions of
 * each wrapped function in libc with a jump to its wrapper, and keeps the
 * displaced instructions in a trampoline that ends with a jump back: the
 * wrapper's "call the real function" path goes there.
 *
 * Only prologues made of instructions this file can decode and move are
 * patched (mov/push/sub/cmp/test with register or stack operands, and
 * rip-relative ones, whose displacement is adjusted); a function whose
 * prologue is anything else keeps being called through the PLT only.
 * The patch is made by the library's constructor, the same way on replay,
 * so it needs no recording of its own. */
#include "preload/patch.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "preload/insn.h"


#define JMP_LEN  5
#define TRAMP    32        /* bytes per trampoline */

extern uint8_t sb_tramp_area[], sb_tramp_end[];   /* entry.S */

static bool rel32_ok(int64_t d)
{
	return d >= INT32_MIN && d <= INT32_MAX;
}

static void put_jmp(uint8_t *at, const void *to)
{
	int32_t rel = (int32_t)((const uint8_t *)to - (at + JMP_LEN));
	at[0] = 0xe9;
	memcpy(at + 1, &rel, 4);
}

/* Build the trampoline for fn in t: its first instructions (at least
 * JMP_LEN bytes), then a jump back.  Returns how many bytes it moved, or
 * 0 if it cannot. */
static int build(uint8_t *t, const uint8_t *fn)
{
	int moved = 0;
	while (moved < JMP_LEN) {
		int rip, len = insn_len(fn + moved, &rip);
		if (!len || moved + len + JMP_LEN > TRAMP)
			return 0;
		memcpy(t + moved, fn + moved, (size_t)len);
		if (rip >= 0) {
			int32_t disp;
			memcpy(&disp, fn + moved + rip, 4);
			int64_t target = (int64_t)(uintptr_t)(fn + moved + len) + disp;
			int64_t nd = target - (int64_t)(uintptr_t)(t + moved + len);
			if (!rel32_ok(nd))
				return 0;
			disp = (int32_t)nd;
			memcpy(t + moved + rip, &disp, 4);
		}
		moved += len;
	}
	if (!rel32_ok((int64_t)(uintptr_t)(fn + moved) - (int64_t)(uintptr_t)(t + moved + JMP_LEN)))
		return 0;
	put_jmp(t + moved, fn + moved);
	return moved;
}

/* The patch is planned first (trampolines written, jumps queued), then
 * libc's text is made writable once for all the jumps.  The four
 * mprotects go the way a patched syscall site goes (sb_raw_entry), so
 * they are buffered calls, made again on replay, not four stops in every
 * process. */
static uint8_t *next_tramp = sb_tramp_area;
static struct jump { uint8_t *at; const void *to; int len; } jumps[256];
static int njumps;

static long set_prot(const void *p, size_t len, int prot)
{
	uintptr_t a = (uintptr_t)p & ~4095ul;
	uintptr_t e = ((uintptr_t)p + len + 4095) & ~4095ul;
	long ret;
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"       /* the red zone */
	                 "call sb_raw_entry\n\t"
	                 "lea 128(%%rsp), %%rsp"
	                 : "=a"(ret)
	                 : "a"((long)SYS_mprotect), "D"(a), "S"(e - a), "d"((long)prot)
	                 : "rcx", "r11", "memory");
	return ret;
}

bool sb_patch_begin(void)
{
	return set_prot(sb_tramp_area, (size_t)(sb_tramp_end - sb_tramp_area),
	                PROT_READ | PROT_WRITE) == 0;
}

/* Does [at, at+len) touch a patch already planned (a function entry that
 * is itself a syscall site: __close_nocancel starts with one)?  Its
 * trampoline jumps back right after the displaced bytes. */
static bool planned(const uint8_t *at, int len)
{
	for (int i = 0; i < njumps; i++)
		if (at < jumps[i].at + jumps[i].len + JMP_LEN && jumps[i].at < at + len)
			return true;
	return false;
}

static void queue_jump(uint8_t *at, const void *to, int len)
{
	if (njumps < (int)(sizeof(jumps) / sizeof(jumps[0])))
		jumps[njumps++] = (struct jump){ at, to, len };
}

int sb_patch_end(void)
{
	set_prot(sb_tramp_area, (size_t)(sb_tramp_end - sb_tramp_area), PROT_READ | PROT_EXEC);
	uint8_t *lo = NULL, *hi = NULL;
	for (int i = 0; i < njumps; i++) {
		if (!lo || jumps[i].at < lo)
			lo = jumps[i].at;
		if (!hi || jumps[i].at + jumps[i].len > hi)
			hi = jumps[i].at + jumps[i].len;
	}
	if (!njumps || set_prot(lo, (size_t)(hi - lo), PROT_READ | PROT_WRITE | PROT_EXEC) < 0)
		return 0;
	for (int i = 0; i < njumps; i++) {
		put_jmp(jumps[i].at, jumps[i].to);
		for (int k = JMP_LEN; k < jumps[i].len; k++)
			jumps[i].at[k] = 0xcc;   /* never reached: the jump skips them */
	}
	set_prot(lo, (size_t)(hi - lo), PROT_READ | PROT_EXEC);
	return njumps;
}

void sb_patch(void *real[], void *const ours[], const bool in_libc[], int n)
{
	for (int i = 0; i < n && next_tramp + TRAMP <= sb_tramp_end; i++) {
		uint8_t *fn = real[i];
		if (!fn || !in_libc[i] || !ours[i] || (fn >= sb_tramp_area && fn < sb_tramp_end))
			continue;                /* an alias of one done before */
		if (!rel32_ok((int64_t)(uintptr_t)ours[i] - (int64_t)(uintptr_t)(fn + JMP_LEN)))
			continue;
		int m = build(next_tramp, fn);
		if (!m)
			continue;
		queue_jump(fn, ours[i], m);
		/* Aliases (pread and pread64) share the body: same trampoline. */
		for (int k = 0; k < n; k++)
			if (real[k] == fn)
				real[k] = next_tramp;
		next_tramp += TRAMP;
	}
}

extern char sb_raw_entry[];   /* entry.S */

/* The trampoline of a syscall site at `site` (`len` bytes: mov $NR,
 * %eax, at most one instruction moved with it, syscall): those first
 * instructions, then step over the red zone, call sb_raw_entry with the
 * number in eax, come back over the red zone and continue after the site. */
static int raw_tramp(uint8_t *t, const uint8_t *site, int len)
{
	static const uint8_t down[] = { 0x48, 0x8d, 0x64, 0x24, 0x80 };      /* lea -128(%rsp),%rsp */
	static const uint8_t up[] = { 0x48, 0x8d, 0xa4, 0x24, 0x80, 0, 0, 0 }; /* lea 128(%rsp),%rsp */
	int n = 0;
	memcpy(t + n, site, (size_t)len - 2);           /* mov $NR, %eax (and one more) */
	n += len - 2;
	memcpy(t + n, down, sizeof(down));
	n += sizeof(down);
	int64_t call = (int64_t)(uintptr_t)sb_raw_entry - (int64_t)(uintptr_t)(t + n + 5);
	if (!rel32_ok(call))
		return 0;
	int32_t rel = (int32_t)call;
	t[n] = 0xe8;
	memcpy(t + n + 1, &rel, 4);
	n += 5;
	memcpy(t + n, up, sizeof(up));
	n += sizeof(up);
	if (!rel32_ok((int64_t)(uintptr_t)(site + len) - (int64_t)(uintptr_t)(t + n + JMP_LEN)))
		return 0;
	put_jmp(t + n, site + len);
	return n + JMP_LEN;
}

/* The instruction at p, of `len` bytes, between a site's mov and its
 * syscall (getrlimit's `xor %edi,%edi`, a futex wake's `xor %edx,%edx`):
 * can it move to the trampoline?  A register or stack operand move or
 * xor that leaves eax alone. */
static bool movable(const uint8_t *p, int len)
{
	int rip;
	if (insn_len(p, &rip) != len || rip >= 0)
		return false;
	int k = (p[0] & 0xf0) == 0x40;               /* REX */
	uint8_t rex = k ? p[0] : 0, op = p[k], modrm = p[k + 1];
	int reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0), rm = (modrm & 7) | (rex & 1 ? 8 : 0);
	if (op == 0x8b)
		return reg != 0;                         /* mov r/m, reg */
	if (op == 0x31 || op == 0x89)
		return (modrm >> 6) == 3 && rm != 0;     /* xor/mov reg, reg */
	return false;
}

/* Called in every process a recording starts, over all of libc's text
 * (about 1.7 MB): memchr (libc's, vectorised) finds the rare 0x05 bytes,
 * the last of each `mov $NR, %eax; syscall` (b8 NR 0f 05); a byte loop
 * there cost about 1 ms of CPU per process. */
void sb_patch_sites(void *fn, size_t len, const int nrs[], int n)
{
	uint8_t *p = fn, *end = p + len;
	for (uint8_t *q = p + 6; q < end && next_tramp + TRAMP <= sb_tramp_end; q++) {
		q = memchr(q, 0x05, (size_t)(end - q));
		if (!q)
			break;
		if (q[-1] != 0x0f)
			continue;
		int slen = 0;                /* mov $NR,%eax; [one more;] syscall */
		for (int mid = 0; mid <= 3 && !slen; mid++)
			if (q - 6 - mid >= p && q[-6 - mid] == 0xb8 && (!mid || movable(q - 1 - mid, mid)))
				slen = 7 + mid;
		if (!slen)
			continue;
		uint8_t *site = q + 1 - slen;
		int32_t nr;
		memcpy(&nr, site + 1, 4);
		bool want = false;
		for (int k = 0; k < n; k++)
			want |= nr == nrs[k];
		if (!want || planned(site, slen) || !raw_tramp(next_tramp, site, slen) ||
		    !rel32_ok((int64_t)(uintptr_t)next_tramp - (int64_t)(uintptr_t)(site + JMP_LEN)))
			continue;
		queue_jump(site, next_tramp, slen);
		next_tramp += TRAMP;
	}
}
