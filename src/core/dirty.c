/* dirty.c -- pages written, by asynchronous userfaultfd write-protection
 * and PAGEMAP_SCAN (see dirty.h). */
#include "core/dirty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include "core/maps.h"
#include "core/memhash.h"
#include "core/page.h"
#include "core/ptrace.h"
#include "core/util.h"

/* Linux 6.7's interface; Debian 12's headers predate it. */
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
struct dirty_region {           /* struct page_region */
	uint64_t start, end, categories;
};
struct dirty_scan_arg {         /* struct pm_scan_arg */
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define DIRTY_PAGEMAP_SCAN    _IOWR('f', 16, struct dirty_scan_arg)
#define DIRTY_PAGE_IS_WRITTEN (1 << 1)
#define DIRTY_PM_SCAN_WP_MATCHING (1 << 0)

#define PAGE 4096ul
#define NREGIONS 1024

struct dirty {
	pid_t pid;
	int uffd;               /* scribe's copy of the process's userfaultfd */
	int pagemap;            /* /proc/PID/pagemap */
	uint64_t *pages;        /* the pending set, sorted, no repeats */
	size_t npages, cap;
	struct dirty_region vec[NREGIONS];
};

/* Make the userfaultfd inside the process and take it over.  The calls
 * run with every signal blocked (pt_call_masked): the program's signals
 * reach it afterwards as if nothing had happened. */
static int steal_uffd(pid_t pid, pid_t tid, const struct user_regs_struct *regs, int *stop)
{
	long fd = pt_call_masked(tid, regs, SCRIBE_PAGE, stop, SYS_userfaultfd,
	                         O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0, 0);
	if (fd < 0) {
		err_set("userfaultfd in the program: %s", strerror((int)-fd));
		return -1;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int mine = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	int e = errno;
	if (pidfd >= 0)
		close(pidfd);
	/* Only a SIGSTOP or a SIGKILL can come before this close: the
	 * descriptor then stays with the program, which never asked for
	 * it; a SIGKILL ends the matter, and a SIGSTOP is rare enough. */
	pt_call_masked(tid, regs, SCRIBE_PAGE, stop, SYS_close, fd, 0, 0, 0, 0, 0);
	if (mine < 0)
		err_set("pidfd_getfd: %s", strerror(e));
	return mine;
}

struct dirty *dirty_start(pid_t pid, pid_t tid, const struct user_regs_struct *regs, int *stop)
{
	*stop = 0;
	int uffd = steal_uffd(pid, tid, regs, stop);
	if (uffd < 0)
		return NULL;
	struct uffdio_api api = { .api = UFFD_API,
	                          .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED };
	if (ioctl(uffd, UFFDIO_API, &api) < 0) {
		err_set("userfaultfd without asynchronous write-protection (Linux < 6.7?): %s",
		        strerror(errno));
		close(uffd);
		return NULL;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	int pm = open(path, O_RDONLY | O_CLOEXEC);
	if (pm < 0) {
		err_set("%s: %s", path, strerror(errno));
		close(uffd);
		return NULL;
	}
	struct dirty *d = xcalloc(1, sizeof(*d));
	d->pid = pid;
	d->uffd = uffd;
	d->pagemap = pm;
	return d;
}

void dirty_stop(struct dirty *d)
{
	if (!d)
		return;
	close(d->uffd);
	close(d->pagemap);
	free(d->pages);
	free(d);
}

/* Register every writable mapping (again: the kernel keeps what is
 * registered already, and a mapping made since, or grown by brk, is new
 * to it).  Its pages present now are unprotected, so the next scan
 * counts them as written, as it must: no one watched them. */
static int protect_all(struct dirty *d, uint64_t *lo, uint64_t *hi)
{
	struct map *maps;
	int n = maps_read(d->pid, &maps);
	if (n < 0) {
		err_set("cannot read the maps of process %d", d->pid);
		return -1;
	}
	int rc = 0;
	*lo = UINT64_MAX;
	*hi = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		uint64_t start, end;
		if (!memhash_span(&maps[i], &start, &end))
			continue;
		struct uffdio_register reg = { .range = { start, end - start },
		                               .mode = UFFDIO_REGISTER_MODE_WP };
		if (ioctl(d->uffd, UFFDIO_REGISTER, &reg) < 0) {
			err_set("cannot track writes to %s at %#llx: %s", maps[i].name[0] ?
			        maps[i].name : "a mapping", (unsigned long long)start, strerror(errno));
			rc = -1;
		}
		*lo = MIN(*lo, start);
		*hi = MAX(*hi, end);
	}
	free(maps);
	return rc;
}

static void add_pages(struct dirty *d, uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a < end; a += PAGE) {
		d->pages = xgrow(d->pages, d->npages, &d->cap, sizeof(*d->pages), 1024);
		d->pages[d->npages++] = a;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Keep the pending set sorted and free of repeats. */
static void normalize(struct dirty *d, size_t old)
{
	if (d->npages == old)
		return;
	qsort(d->pages, d->npages, sizeof(*d->pages), cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < d->npages; i++)
		if (k == 0 || d->pages[i] != d->pages[k - 1])
			d->pages[k++] = d->pages[i];
	d->npages = k;
}

long dirty_collect(struct dirty *d)
{
	uint64_t lo, hi;
	if (protect_all(d, &lo, &hi) < 0)
		return -1;
	size_t old = d->npages;
	long found = 0;
	/* Mappings we did not register (read-only ones) are skipped by the
	 * scan: without PM_SCAN_CHECK_WPASYNC it passes over a mapping it
	 * cannot protect. */
	for (uint64_t at = lo; at < hi;) {
		struct dirty_scan_arg arg = {
			.size = sizeof(arg), .flags = DIRTY_PM_SCAN_WP_MATCHING,
			.start = at, .end = hi, .vec = (uint64_t)(uintptr_t)d->vec,
			.vec_len = NREGIONS, .category_mask = DIRTY_PAGE_IS_WRITTEN,
			.return_mask = DIRTY_PAGE_IS_WRITTEN,
		};
		long n = ioctl(d->pagemap, DIRTY_PAGEMAP_SCAN, &arg);
		if (n < 0) {
			err_set("PAGEMAP_SCAN of process %d: %s", d->pid, strerror(errno));
			return -1;
		}
		for (long i = 0; i < n; i++) {
			add_pages(d, d->vec[i].start, d->vec[i].end);
			found += (d->vec[i].end - d->vec[i].start) / PAGE;
		}
		if (arg.walk_end <= at)
			break;
		at = arg.walk_end;
	}
	normalize(d, old);
	return found;
}

const uint64_t *dirty_pages(const struct dirty *d, size_t *n)
{
	*n = d->npages;
	return d->pages;
}

void dirty_clear(struct dirty *d)
{
	d->npages = 0;
}
