/* memhash.c -- hash or snapshot a process's writable memory. */
#include "core/memhash.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/maps.h"
#include "core/ptrace.h"
#include "core/util.h"
#include "preload/sbuf.h"

#define PAGE 4096ul
#define PM_PRESENT (1ull << 63)
#define PM_SWAPPED (1ull << 62)

typedef void (*page_fn)(void *ctx, uint64_t addr, const uint8_t *page);

static bool all_zero(const uint8_t *p)
{
	static const uint8_t zero[PAGE];
	return !memcmp(p, zero, PAGE);
}

bool memhash_span(const struct map *m, uint64_t *start, uint64_t *end)
{
	if (!(m->prot & PROT_WRITE))
		return false;
	/* Syscall-buffer slots (the loader stub's and the library's)
	 * differ between record and replay by design (preload/sbuf.h).
	 * The loader stub's area is one mapping that ends with its slot
	 * (ldstub.h): what lies below the slot counts. */
	if (m->start >= SB_LD_SLOT && m->end <= SB_AREA_END)
		return false;
	*start = m->start;
	*end = m->start < SB_LD_SLOT && m->end > SB_LD_SLOT ? SB_LD_SLOT : m->end;
	return true;
}

/* Call fn for every non-zero page of every writable mapping. */
static int walk(pid_t pid, int memfd, page_fn fn, void *ctx)
{
	struct map *maps;
	int n = maps_read(pid, &maps);
	if (n < 0)
		return -1;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	int pm = open(path, O_RDONLY | O_CLOEXEC);
	enum { CHUNK = 256 };
	uint8_t *buf = xmalloc(CHUNK * PAGE);
	uint64_t flags[CHUNK];
	for (int i = 0; i < n; i++) {
		struct map *m = &maps[i];
		uint64_t start, end;
		if (!memhash_span(m, &start, &end))
			continue;
		/* Private anonymous pages that were never touched read as
		 * zeros: skip them without reading, by their pagemap entry. */
		bool anon_private = !m->shared && m->inode == 0;
		for (uint64_t a = start; a < end; a += CHUNK * PAGE) {
			size_t np = MIN((end - a) / PAGE, (uint64_t)CHUNK);
			bool have_flags = anon_private && pm >= 0 &&
			        pread(pm, flags, np * 8, (a / PAGE) * 8) == (ssize_t)(np * 8);
			/* Read only from the first page there to the last: reading
			 * the others faults them in as zero pages, and a mapping
			 * reserved but hardly used (the loader stub's 16 MiB area,
			 * a thread's stack) cost milliseconds a hash. */
			size_t lo = 0, hi = np;
			if (have_flags) {
				while (lo < np && !(flags[lo] & (PM_PRESENT | PM_SWAPPED)))
					lo++;
				while (hi > lo && !(flags[hi - 1] & (PM_PRESENT | PM_SWAPPED)))
					hi--;
			}
			if (lo == hi)
				continue;
			long r = pt_read(pid, memfd, a + lo * PAGE, buf + lo * PAGE, (hi - lo) * PAGE);
			size_t got = r > 0 ? (size_t)r : 0;
			for (size_t k = lo; k < hi; k++) {
				if (have_flags && !(flags[k] & (PM_PRESENT | PM_SWAPPED)))
					continue;
				if ((k + 1 - lo) * PAGE > got)
					break;
				const uint8_t *pg = buf + k * PAGE;
				if (!all_zero(pg))
					fn(ctx, a + k * PAGE, pg);
			}
		}
	}
	free(buf);
	if (pm >= 0)
		close(pm);
	free(maps);
	return 0;
}

static void hash_page(void *ctx, uint64_t addr, const uint8_t *page)
{
	XXH3_state_t *st = ctx;
	XXH3_64bits_update(st, &addr, sizeof(addr));
	XXH3_64bits_update(st, page, PAGE);
}

uint64_t memhash(pid_t pid, int memfd)
{
	XXH3_state_t *st = XXH3_createState();
	XXH3_64bits_reset(st);
	walk(pid, memfd, hash_page, st);
	uint64_t h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return h;
}

struct snapctx {
	struct memsnap *s;
	size_t max;
	bool overflow;
};

static void snap_page(void *ctx, uint64_t addr, const uint8_t *page)
{
	struct snapctx *c = ctx;
	struct memsnap *s = c->s;
	if (c->overflow || (s->npages + 1) * PAGE > c->max) {
		c->overflow = true;
		return;
	}
	if (s->npages == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->addr = xrealloc(s->addr, s->cap * sizeof(*s->addr));
		s->data = xrealloc(s->data, s->cap * PAGE);
	}
	s->addr[s->npages] = addr;
	memcpy(s->data + s->npages * PAGE, page, PAGE);
	s->npages++;
}

bool memsnap_take(pid_t pid, int memfd, struct memsnap *s, size_t max_bytes)
{
	memset(s, 0, sizeof(*s));
	struct snapctx c = { s, max_bytes, false };
	if (walk(pid, memfd, snap_page, &c) < 0 || c.overflow) {
		memsnap_free(s);
		return false;
	}
	return true;
}

bool memsnap_pages(pid_t pid, int memfd, const uint64_t *pages, size_t n, struct memsnap *s,
                   size_t max_bytes)
{
	memset(s, 0, sizeof(*s));
	if (n * PAGE > max_bytes)
		return false;
	s->cap = n ? n : 1;
	s->addr = xmalloc(s->cap * sizeof(*s->addr));
	s->data = xmalloc(s->cap * PAGE);
	for (size_t i = 0; i < n;) {
		size_t run = 1;             /* contiguous pages: one read */
		while (i + run < n && pages[i + run] == pages[i] + run * PAGE && run < 256)
			run++;
		long r = pt_read(pid, memfd, pages[i], s->data + s->npages * PAGE, run * PAGE);
		size_t got = r > 0 ? (size_t)r / PAGE : 0;
		for (size_t k = 0; k < got; k++)
			s->addr[s->npages + k] = pages[i + k];
		s->npages += got;
		/* A page unmapped since it was written is unmapped on replay
		 * too, by the same call: nothing to restore there. */
		i += got < run ? got + 1 : run;
	}
	return true;
}

void memsnap_free(struct memsnap *s)
{
	free(s->addr);
	free(s->data);
	memset(s, 0, sizeof(*s));
}

static const uint8_t *page_of(const struct memsnap *s, uint64_t addr)
{
	size_t lo = 0, hi = s->npages;
	while (lo < hi) {             /* pages are in address order */
		size_t mid = (lo + hi) / 2;
		if (s->addr[mid] == addr)
			return s->data + mid * PAGE;
		if (s->addr[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t memsnap_word(const struct memsnap *s, uint64_t addr)
{
	const uint8_t *p = page_of(s, addr & ~(PAGE - 1));
	uint64_t v = 0;
	if (p)
		memcpy(&v, p + (addr & (PAGE - 1) & ~7ul), 8);
	return v;
}

int memsnap_diff(const struct memsnap *a, const struct memsnap *b, uint64_t *addrs, int max)
{
	static const uint8_t zero[PAGE];
	int n = 0;
	size_t i = 0, j = 0;
	/* Merge the two sorted page lists; a page missing on one side is zero. */
	while (i < a->npages || j < b->npages) {
		uint64_t pa = i < a->npages ? a->addr[i] : UINT64_MAX;
		uint64_t pb = j < b->npages ? b->addr[j] : UINT64_MAX;
		uint64_t addr = MIN(pa, pb);
		const uint8_t *x = pa == addr ? a->data + i++ * PAGE : zero;
		const uint8_t *y = pb == addr ? b->data + j++ * PAGE : zero;
		if (!memcmp(x, y, PAGE))
			continue;
		for (size_t w = 0; w < PAGE; w += 8) {
			if (memcmp(x + w, y + w, 8)) {
				if (n == max)
					return -1;
				addrs[n++] = addr + w;
			}
		}
	}
	return n;
}

uint64_t memsnap_hash(const struct memsnap *s)
{
	XXH3_state_t *st = XXH3_createState();
	XXH3_64bits_reset(st);
	for (size_t i = 0; i < s->npages; i++)
		hash_page(st, s->addr[i], s->data + i * PAGE);
	uint64_t h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return h;
}
