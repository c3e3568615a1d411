/* loader.c -- put the loader stub (preload/ldstub.h) into a task and send
 * ld.so's syscall, rdtsc and cpuid sites to it.
 *
 * Sites are recognised by their bytes, not decoded: glibc's ld.so makes
 * each of these calls from one inline "mov $NR, %eax; syscall" (7 bytes,
 * exactly the "jmp *ABS32" that replaces it), except open's, which loads
 * two argument registers in between, and read's, "xor %eax, %eax;
 * syscall" followed by the error check "cmp $-4096, %rax".  Those extra
 * instructions (register moves and a compare, nothing that depends on
 * where it runs) move into the site's trampoline.  A site of any other
 * shape stays a traced call.  rdtsc and cpuid sites are decoded a little
 * further (rdtsc_site_at, cpuid_site_at).  Nothing here is recorded: replay finds the same sites
 * in the same ld.so and makes the same patch. */
#include "core/loader.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/page.h"
#include "core/ptrace.h"
#include "core/util.h"
#include "preload/insn.h"

extern const uint8_t ldstub_blob[], ldstub_blob_end[];   /* build/ldstub.bin */

/* ---- finding the sites -------------------------------------------------- */

static const uint32_t buffered_nrs[] = { SYS_openat, SYS_newfstatat, SYS_close, SYS_access,
                                         SYS_pread64, SYS_mmap, SYS_mprotect, SYS_munmap,
                                         SYS_rseq };

static bool buffered_nr(uint32_t nr)
{
	for (size_t i = 0; i < sizeof(buffered_nrs) / sizeof(buffered_nrs[0]); i++)
		if (buffered_nrs[i] == nr)
			return true;
	return false;
}

/* Is text[j] a "mov $imm32, %eax"?  (A REX prefix before the b8 would
 * make it a move to r8d..r15d.) */
static bool mov_eax_at(const uint8_t *text, size_t j)
{
	return text[j] == 0xb8 && (j == 0 || (text[j - 1] & 0xf0) != 0x40);
}

/* The site whose syscall instruction is at text[i], if it has a shape we
 * know; false otherwise. */
static bool site_at(const uint8_t *text, size_t len, size_t i, uint64_t base,
                    struct ld_site *s)
{
	static const uint8_t open_mid[] = { 0x48, 0x89, 0xfe,                     /* mov %rdi,%rsi */
	                                    0xbf, 0x9c, 0xff, 0xff, 0xff };       /* mov $-100,%edi */
	static const uint8_t err_check[] = { 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff }; /* cmp $-4096,%rax */
	uint32_t nr;
	if (i >= 5 && mov_eax_at(text, i - 5)) {
		memcpy(&nr, text + i - 4, 4);
		if (buffered_nr(nr)) {
			*s = (struct ld_site){ .at = base + i - 5, .len = 7, .nr = nr };
			return true;
		}
	}
	if (i >= 13 && mov_eax_at(text, i - 13) &&
	    !memcmp(text + i - 8, open_mid, sizeof(open_mid))) {
		memcpy(&nr, text + i - 12, 4);
		if (nr == SYS_openat) {
			*s = (struct ld_site){ .at = base + i - 13, .len = 15, .nr = nr,
			                       .npre = sizeof(open_mid) };
			memcpy(s->pre, open_mid, sizeof(open_mid));
			return true;
		}
	}
	if (i >= 2 && i + 2 + sizeof(err_check) <= len && text[i - 2] == 0x31 &&
	    text[i - 1] == 0xc0 && !memcmp(text + i + 2, err_check, sizeof(err_check))) {
		*s = (struct ld_site){ .at = base + i - 2, .len = 10, .nr = SYS_read,
		                       .npost = sizeof(err_check) };
		memcpy(s->post, err_check, sizeof(err_check));
		return true;
	}
	return false;
}

/* An rdtsc at text[i] (ld.so times its start-up with ten of them): the
 * instructions after it, up to the 7 bytes the jump takes, move into the
 * trampoline, a rip-relative lea as a movabs of its address (the
 * trampoline is too far from ld.so for a disp32); any other rip-relative
 * operand, or an instruction insn.h does not know, and the rdtsc stays
 * trapped.  The bytes 0f 31 may also be part of another instruction, so
 * a site must look like what compilers make of rdtsc: the "shl $32, %rdx"
 * that joins the halves within the next four instructions. */
static bool rdtsc_site_at(const uint8_t *text, size_t len, size_t i, uint64_t base,
                          struct ld_site *s)
{
	static const uint8_t shl32[] = { 0x48, 0xc1, 0xe2, 0x20 };
	if (i + 2 + 4 * 15 > len)
		return false;
	*s = (struct ld_site){ .at = base + i, .nr = LD_SITE_RDTSC };
	bool joined = false;
	size_t n = i + 2;
	for (int k = 0; k < 4 && (!joined || n - i < 7); k++) {
		int rip, l = insn_len(text + n, &rip);
		if (!l)
			return false;
		joined |= l == 4 && !memcmp(text + n, shl32, 4);
		if (n - i < 7) {               /* covered by the jump: moves */
			uint8_t *out = s->post + s->npost;
			if (rip < 0 && (size_t)s->npost + (size_t)l <= sizeof(s->post)) {
				memcpy(out, text + n, (size_t)l);
				s->npost += l;
			} else if (l == 7 && (text[n] & 0xfb) == 0x48 && text[n + 1] == 0x8d &&
			           (size_t)s->npost + 10 <= sizeof(s->post)) {
				int32_t disp;           /* lea d(%rip), %reg, 64-bit */
				memcpy(&disp, text + n + 3, 4);
				uint64_t target = base + n + 7 + (uint64_t)(int64_t)disp;
				out[0] = 0x48 | (text[n] & 0x04 ? 1 : 0);     /* REX.R becomes REX.B */
				out[1] = 0xb8 + (text[n + 2] >> 3 & 7);
				memcpy(out + 2, &target, 8);
				s->npost += 10;
			} else {
				return false;
			}
			s->len = (uint8_t)(n + l - i);
		}
		n += l;
	}
	return joined && s->len >= 7;
}

/* Does the instruction at p, of len bytes, set %eax (a cpuid's leaf)?
 * The moves and the xor compilers use for it. */
static bool sets_eax(const uint8_t *p, int len)
{
	int k = (p[0] & 0xf0) == 0x40;
	uint8_t rex = k ? p[0] : 0, op = p[k];
	if (op == 0xb8)
		return !(rex & 1) && len == k + 5;
	if (len != k + 2 || (p[k + 1] >> 6) != 3)
		return false;
	uint8_t reg = p[k + 1] >> 3 & 7, rm = p[k + 1] & 7;
	if (op == 0x89)
		return rm == 0 && !(rex & 1);
	if (op == 0x8b)
		return reg == 0 && !(rex & 4);
	return (op == 0x31 || op == 0x33) && reg == 0 && rm == 0 && !(rex & 5);
}

/* May the instruction at p, of len bytes, move before a cpuid in its
 * trampoline?  Only what touches no memory: moves of immediates, register
 * to register operations, lea (not rip-relative: insn_len says), a
 * compare of eax.  Fewer kinds also make a wrong start (bytes of an
 * earlier instruction's operands) less likely to decode. */
static bool cpuid_pre_ok(const uint8_t *p, int len, int rip)
{
	int k = (p[0] & 0xf0) == 0x40;
	uint8_t rex = k ? p[0] : 0, op = p[k];
	if (rip >= 0 || len <= k)
		return false;
	if (op >= 0xb8 && op <= 0xbf)
		return !(rex & 8);          /* with REX.W a movabs: insn.h sizes it wrong */
	if (op == 0x3d)
		return true;
	if (op == 0x8d)
		return true;                /* lea computes, reads nothing */
	if (op == 0x0f || (op >= 0x50 && op <= 0x57) || len < k + 2)
		return false;
	return (p[k + 1] >> 6) == 3;    /* register operands only */
}

/* A cpuid at text[i] (ld.so asks some forty at start-up, glibc's
 * init_cpu_features and cache sizes; each a trap and a stop): the two
 * bytes are too few for the jump, so the instructions before it, which
 * set its leaf, move into the trampoline with it.  They are found by
 * decoding forward from 5 to 14 bytes back: the nearest start whose
 * instructions insn.h knows and touch no memory (cpuid_pre_ok), that end
 * exactly at the cpuid and set %eax.
 * Requiring the leaf's move makes bytes that only look like such a
 * sequence (or a 0f a2 inside another instruction) unlikely; a site
 * that does not fit stays trapped. */
static bool cpuid_site_at(const uint8_t *text, size_t len, size_t i, uint64_t base,
                          struct ld_site *s)
{
	if (i + 16 > len)
		return false;            /* insn_len reads up to 15 bytes */
	for (size_t k = 5; k <= 14 && k <= i; k++) {
		size_t n = i - k;
		bool eax = false;
		while (n < i) {
			int rip, l = insn_len(text + n, &rip);
			if (!l || !cpuid_pre_ok(text + n, l, rip))
				break;
			eax |= sets_eax(text + n, l);
			n += (size_t)l;
		}
		if (n != i || !eax)
			continue;
		*s = (struct ld_site){ .at = base + i - k, .len = (uint8_t)(k + 2),
		                       .nr = LD_SITE_CPUID, .npre = (uint8_t)k };
		memcpy(s->pre, text + i - k, k);
		return true;
	}
	return false;
}

/* Direct jumps and calls whose target is inside text: a site whose
 * bytes after its first are a target cannot be replaced by a jump.
 * Bytes that only look like a branch cost a site, never correctness. */
static uint8_t *branch_targets(const uint8_t *text, size_t len)
{
	uint8_t *t = xcalloc(len / 8 + 1, 1);
	for (size_t i = 0; i + 6 <= len; i++) {
		int64_t to = -1;
		int32_t rel32;
		if (text[i] == 0xe8 || text[i] == 0xe9) {
			memcpy(&rel32, text + i + 1, 4);
			to = (int64_t)i + 5 + rel32;
		} else if (text[i] == 0xeb || (text[i] & 0xf0) == 0x70) {
			to = (int64_t)i + 2 + (int8_t)text[i + 1];
		} else if (text[i] == 0x0f && (text[i + 1] & 0xf0) == 0x80) {
			memcpy(&rel32, text + i + 2, 4);
			to = (int64_t)i + 6 + rel32;
		}
		if (to >= 0 && (uint64_t)to < len)
			t[to / 8] |= (uint8_t)(1u << (to % 8));
	}
	return t;
}

static bool targeted(const uint8_t *targets, size_t from, size_t to)
{
	for (size_t j = from; j < to; j++)
		if (targets[j / 8] >> (j % 8) & 1)
			return true;
	return false;
}

/* ld.so's load address, from the task's auxiliary vector (0: none). */
static uint64_t interp_base(pid_t tid)
{
	char path[64];
	uint64_t av[2 * 64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, av, sizeof(av));
	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; i + 1 < n / 8; i += 2)
		if (av[i] == AT_BASE)
			return av[i + 1];
	return 0;
}

/* The build ID note of the ELF image at base (the linker's hash of the
 * whole file), or 0 bytes. */
static size_t build_id(pid_t tid, int memfd, uint64_t base, const Elf64_Phdr *ph, int n,
                       uint8_t id[32])
{
	for (int k = 0; k < n; k++) {
		uint8_t note[256];
		size_t len = ph[k].p_filesz < sizeof(note) ? ph[k].p_filesz : sizeof(note);
		if (ph[k].p_type != PT_NOTE || pt_read(tid, memfd, base + ph[k].p_vaddr, note, len) !=
		                                       (long)len)
			continue;
		for (size_t off = 0; off + sizeof(Elf64_Nhdr) <= len;) {
			Elf64_Nhdr nh;
			memcpy(&nh, note + off, sizeof(nh));
			size_t name = off + sizeof(nh), desc = name + ((nh.n_namesz + 3) & ~3u);
			if (desc + nh.n_descsz > len)
				break;
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp(note + name, "GNU", 4) && nh.n_descsz <= 32) {
				memcpy(id, note + desc, nh.n_descsz);
				return nh.n_descsz;
			}
			off = desc + ((nh.n_descsz + 3) & ~3u);
		}
	}
	return 0;
}

/* Scan the executable segment of the image at base for sites. */
static void scan(pid_t tid, int memfd, uint64_t base, const Elf64_Phdr *ph, int n,
                 struct ld_sites *out)
{
	for (int k = 0; k < n; k++) {
		if (ph[k].p_type != PT_LOAD || !(ph[k].p_flags & PF_X) || ph[k].p_filesz > (4u << 20))
			continue;
		uint64_t start = base + ph[k].p_vaddr;
		size_t len = ph[k].p_filesz;
		/* Without cpuid faulting a cpuid is the CPU's own: leave it. */
		bool cpuid = cpu_cpuid_faults();
		uint8_t *text = xmalloc(len);
		if (pt_read(tid, memfd, start, text, len) == (long)len) {
			uint8_t *targets = branch_targets(text, len);
			uint64_t end_prev = 0;
			for (const uint8_t *p = text; out->n < LD_MAX_SITES &&
			     (p = memchr(p, 0x0f, len - (size_t)(p - text))); p++) {
				size_t i = (size_t)(p - text);
				struct ld_site s;
				if (i + 1 >= len ||
				    !(p[1] == 0x05   ? site_at(text, len, i, start, &s)
				      : p[1] == 0x31 ? rdtsc_site_at(text, len, i, start, &s)
				      : p[1] == 0xa2 && cpuid && cpuid_site_at(text, len, i, start, &s)) ||
				    s.at < end_prev ||
				    targeted(targets, s.at - start + 1, s.at - start + s.len))
					continue;
				out->s[out->n++] = s;
				end_prev = s.at + s.len;
			}
			free(targets);
		}
		free(text);
		return;
	}
}

/* What scan() found, by build ID and load address: a build runs one
 * ld.so for all its processes, and reading and scanning its 150 KiB of
 * code cost more than the stub saved in a short process.  An ld.so with
 * no build ID is scanned every time. */
#define LD_CACHE 4
static struct ld_known {
	uint8_t id[32];
	size_t idlen;
	uint64_t base;
	struct ld_sites sites;
} known[LD_CACHE];
static unsigned known_next;
static pthread_mutex_t known_mu = PTHREAD_MUTEX_INITIALIZER;

void ld_find(pid_t tid, int memfd, struct ld_sites *out)
{
	out->n = 0;
	uint64_t base = interp_base(tid);
	Elf64_Ehdr eh;
	Elf64_Phdr ph[16];
	if (!base || pt_read(tid, memfd, base, &eh, sizeof(eh)) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phnum > 16 ||
	    pt_read(tid, memfd, base + eh.e_phoff, ph, eh.e_phnum * sizeof(ph[0])) !=
	            (long)(eh.e_phnum * sizeof(ph[0])))
		return;
	uint8_t id[32];
	size_t idlen = build_id(tid, memfd, base, ph, eh.e_phnum, id);
	pthread_mutex_lock(&known_mu);
	for (int i = 0; i < LD_CACHE && idlen; i++)
		if (known[i].idlen == idlen && known[i].base == base && !memcmp(known[i].id, id, idlen)) {
			*out = known[i].sites;
			pthread_mutex_unlock(&known_mu);
			return;
		}
	pthread_mutex_unlock(&known_mu);
	scan(tid, memfd, base, ph, eh.e_phnum, out);
	if (!idlen)
		return;
	pthread_mutex_lock(&known_mu);
	struct ld_known *k = &known[known_next++ % LD_CACHE];
	memcpy(k->id, id, idlen);
	k->idlen = idlen;
	k->base = base;
	k->sites = *out;
	pthread_mutex_unlock(&known_mu);
}

/* ---- installing the stub ------------------------------------------------ */

/* The trampoline of site s at address t (LD_TRAMP_SIZE bytes):
 *   t+0   the address of t+8, which the site's "jmp *t" reads
 *   t+8   <pre>; lea -128(%rsp),%rsp; mov $NR,%eax; call ld_entry;
 *         lea 128(%rsp),%rsp; <post>; jmp *(%rip) to the site's end
 * and for an rdtsc or a cpuid, "call ld_rdtsc" or "call ld_cpuid" in
 * place of the mov and call.  <pre> touches no memory (open's and a
 * cpuid's), so it may run before the red zone is stepped over. */
static void tramp(uint8_t *b, uint64_t t, const struct ld_site *s, const struct ld_head *h)
{
	size_t n = 0;
	uint64_t code = t + 8, back = s->at + s->len, entry = LD_CODE + h->entry;
	memcpy(b + n, &code, 8), n += 8;
	memcpy(b + n, s->pre, s->npre), n += s->npre;
	memcpy(b + n, "\x48\x8d\x64\x24\x80", 5), n += 5;
	if (s->nr == LD_SITE_RDTSC) {
		entry = LD_CODE + h->rdtsc;
	} else if (s->nr == LD_SITE_CPUID) {
		entry = LD_CODE + h->cpuid;
	} else {
		b[n++] = 0xb8;
		memcpy(b + n, &s->nr, 4), n += 4;
	}
	int32_t rel = (int32_t)(entry - (t + n + 5));
	b[n++] = 0xe8;
	memcpy(b + n, &rel, 4), n += 4;
	memcpy(b + n, "\x48\x8d\xa4\x24\x80\x00\x00\x00", 8), n += 8;
	memcpy(b + n, s->post, s->npost), n += s->npost;
	memcpy(b + n, "\xff\x25\x00\x00\x00\x00", 6), n += 6;
	memcpy(b + n, &back, 8), n += 8;
	memset(b + n, 0xcc, LD_TRAMP_SIZE - n);
}

/* Leaves that index sub-leaves by ecx (Intel's and AMD's manuals): their
 * answers are kept per sub-leaf, for the sub-leaves that exist. */
static int subleaves(uint32_t leaf, const uint32_t first[4])
{
	switch (leaf) {
	case 0xd:
		return 64;                   /* xsave components, by bit */
	case 4: case 0xb: case 0x1f: case 0x8000001d:
		return 16;                   /* caches, topology levels: up to the empty one */
	case 7: case 0x14: case 0x17: case 0x18: case 0x1d: case 0x20: case 0x23: case 0x24:
		return (first[0] < 7 ? (int)first[0] : 7) + 1;   /* sub 0 says the last */
	case 0xf: case 0x10: case 0x12: case 0x1b: case 0x80000020: case 0x80000026:
		return 4;
	default:
		return 0;
	}
}

static bool last_subleaf(uint32_t leaf, const uint32_t out[4])
{
	if (leaf == 4 || leaf == 0x8000001d)
		return (out[0] & 0x1f) == 0;           /* no more caches */
	if (leaf == 0xb || leaf == 0x1f)
		return (out[2] >> 8 & 0xff) == 0;      /* no more levels */
	return false;
}

/* The answers for ld_cpuid: cpu_cpuid_seen's, the ones a trapped cpuid
 * gets, for the basic and extended leaves (a leaf that ignores ecx once,
 * as LD_CPUID_ANY, when three sub-leaves agree).  The same for every
 * process on this machine, so made once. */
static struct ld_cpuid cpuid_tab[LD_CPUID_MAX];
static size_t cpuid_n;

static void cpuid_add(uint32_t leaf, uint32_t sub, uint32_t kind, const uint32_t out[4])
{
	if (cpuid_n + 1 >= LD_CPUID_MAX)
		return;                      /* full: the rest stays trapped */
	struct ld_cpuid *e = &cpuid_tab[cpuid_n++];
	*e = (struct ld_cpuid){ .leaf = leaf, .sub = sub, .kind = kind };
	memcpy(e->out, out, sizeof(e->out));
}

static void cpuid_range(uint32_t from, uint32_t to)
{
	for (uint32_t leaf = from; leaf <= to; leaf++) {
		uint32_t a[4], b[4], c[4];
		cpu_cpuid_seen(leaf, 0, a);
		int subs = subleaves(leaf, a);
		if (subs) {
			cpuid_add(leaf, 0, LD_CPUID_EXACT, a);
			for (int k = 1; k < subs && !last_subleaf(leaf, a); k++) {
				cpu_cpuid_seen(leaf, (uint32_t)k, b);
				cpuid_add(leaf, (uint32_t)k, LD_CPUID_EXACT, b);
				memcpy(a, b, sizeof(a));
			}
			continue;
		}
		cpu_cpuid_seen(leaf, 1, b);
		cpu_cpuid_seen(leaf, 0xffffffffu, c);
		bool any = !memcmp(a, b, sizeof(a)) && !memcmp(a, c, sizeof(a));
		cpuid_add(leaf, 0, any ? LD_CPUID_ANY : LD_CPUID_EXACT, a);
	}
}

static void cpuid_make(void)
{
	uint32_t out[4];
	cpu_cpuid_seen(0, 0, out);
	cpuid_range(0, out[0] < 0x3f ? out[0] : 0x3f);
	cpu_cpuid_seen(0x80000000u, 0, out);
	if (out[0] >= 0x80000000u && out[0] <= 0x800000ffu)
		cpuid_range(0x80000000u, out[0] < 0x8000003fu ? out[0] : 0x8000003fu);
	cpuid_tab[cpuid_n++] = (struct ld_cpuid){ .kind = LD_CPUID_END };
}

void ld_drop_site(struct ld_sites *s, uint64_t at)
{
	for (int i = 0; i < s->n; i++)
		if (s->s[i].at <= at && at < s->s[i].at + s->s[i].len) {
			memmove(&s->s[i], &s->s[i + 1], (size_t)(s->n - i - 1) * sizeof(s->s[0]));
			s->n--;
			return;
		}
}

/* Replace each site with "jmp *ABS32" to its trampoline (int3 after it,
 * never reached).  The sites span some 50 KiB of ld.so: its bytes are
 * read and written back once, not written site by site (a write to
 * /proc/PID/mem each, 70 of them, cost more than all the rest of the
 * set-up). */
static bool patch_sites(pid_t tid, int memfd, const struct ld_sites *s)
{
	uint64_t lo = s->s[0].at, hi = s->s[s->n - 1].at + s->s[s->n - 1].len;
	size_t len = (size_t)(hi - lo);
	uint8_t *text = xmalloc(len);
	bool ok = pt_read(tid, memfd, lo, text, len) == (long)len;
	for (int i = 0; ok && i < s->n; i++) {
		uint8_t *at = text + (s->s[i].at - lo);
		uint32_t t = (uint32_t)(LD_TRAMP + i * LD_TRAMP_SIZE);
		memset(at, 0xcc, s->s[i].len);
		memcpy(at, "\xff\x24\x25", 3);
		memcpy(at + 3, &t, 4);
	}
	ok = ok && pt_write(memfd, lo, text, len) == 0;
	free(text);
	return ok;
}

bool ld_install(pid_t tid, int memfd, const struct ld_sites *s, const void *hdr,
                size_t hdr_len)
{
	size_t blob = (size_t)(ldstub_blob_end - ldstub_blob);
	struct ld_head head;
	memcpy(&head, ldstub_blob, sizeof(head));
	if (head.magic != LD_MAGIC || blob > LD_CODE_MAX)
		fatal("the loader stub built into scribe is damaged");
	uint8_t tr[LD_MAX_SITES * LD_TRAMP_SIZE];
	bool cpuid = false;
	for (int i = 0; i < s->n; i++) {
		tramp(tr + i * LD_TRAMP_SIZE, LD_TRAMP + i * LD_TRAMP_SIZE, &s->s[i], &head);
		cpuid |= s->s[i].nr == LD_SITE_CPUID;
	}
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (cpuid)
		pthread_once(&once, cpuid_make);
	if (pt_write(memfd, LD_CODE, ldstub_blob, blob) < 0 ||
	    (cpuid && pt_write(memfd, LD_CPUID, cpuid_tab, cpuid_n * sizeof(cpuid_tab[0])) < 0) ||
	    pt_write(memfd, LD_TRAMP, tr, (size_t)s->n * LD_TRAMP_SIZE) < 0 ||
	    pt_write(memfd, SB_LD_SLOT, hdr, hdr_len) < 0)
		goto gone;
	if (s->n && !patch_sites(tid, memfd, s))
		goto gone;
	return true;
gone:
	if (pt_gone(tid))
		return false;
	fatal("cannot write the loader stub into %d: %s", tid, strerror(errno));
}
