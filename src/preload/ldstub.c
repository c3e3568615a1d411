/* ldstub.c -- the loader stub's calls (ldstub.h): ld.so's openat, read,
 * pread64, newfstatat, close, access, mmap, mprotect, munmap and rseq,
 * and its rdtsc, made or answered by the buffer's core (core.c) in the
 * loader's slot.  Built freestanding, linked at LD_CODE (ldstub.lds) and
 * carried inside scribe as a blob. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "preload/core.h"
#include "preload/ldstub.h"
#include "preload/raw.h"

_Static_assert(offsetof(struct sb_hdr, owner) == 88, "slot_asm.h HDR_OWNER");
_Static_assert(SB_LD_SLOT == 0x70f80000, "ldstub.S LD_SLOT");
_Static_assert(LD_DATA == 0x70f7e000, "ldstub.lds LD_DATA");
_Static_assert(LD_CPUID == 0x7000e000 && LD_CPUID_MAX == 256 && sizeof(struct ld_cpuid) == 32 &&
               offsetof(struct ld_cpuid, kind) == 8 && offsetof(struct ld_cpuid, out) == 16 &&
               LD_CPUID_END == 2 && LD_CPUID_ANY == 1, "ldstub.S ld_cpuid");

HIDDEN long ld_dispatch(struct sb_frame *f);

/* Replaying: map the trace's copy of the file (its path follows the
 * arguments in the record) where the recording mapped the file. */
static long map_copy(const long *a, long at, const char *path, size_t n)
{
	size_t len = 0;
	while (len < n && path[len])
		len++;
	if (len == n)
		return -1;                   /* no path: a corrupt record */
	long fd = untraced(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return fd;
	long got = untraced(SYS_mmap, at, a[1], a[2], (long)sb_remap_flags((uint64_t)a[3]), fd, a[5]);
	untraced(SYS_close, fd, 0, 0, 0, 0, 0);
	return got;
}

/* Recording: has the tracer kept this file already (ldstub.h LD_KNOWN)? */
static bool known_file(const struct sb_mapid *id)
{
	const struct sb_mapid *k = (const struct sb_mapid *)LD_KNOWN;
	for (int i = 0; i < LD_NKNOWN && k[i].ino; i++)
		if (k[i].ino == id->ino && k[i].dev == id->dev && k[i].size == id->size &&
		    k[i].mtime_sec == id->mtime_sec && k[i].mtime_nsec == id->mtime_nsec &&
		    k[i].ctime_sec == id->ctime_sec && k[i].ctime_nsec == id->ctime_nsec)
			return true;
	return false;
}

/* ld.so's private maps of its libraries and of ld.so.cache (sbuf.h,
 * SB_REC_MAP).  A descriptor on anything but a regular file goes to the
 * tracer, and an SB_REC_MAPKIND record says so to replay, which has no
 * descriptor to ask. */
static long file_map(struct sb_hdr *h, struct sb_frame *f)
{
	const long *a = f->a;
	int fd = (int)a[4];
	uint64_t hash = hash_args(SYS_mmap, a, 6);
	struct stat st;
	struct op o;
	if (h->mode == SB_RECORD ? untraced(SYS_fstat, fd, (long)&st, 0, 0, 0, 0) < 0 ||
	                           !S_ISREG(st.st_mode)
	                         : sb_peek(h) == SB_REC_MAPKIND) {
		op_begin(&o, h, SB_REC_MAPKIND, hash, (uint64_t)fd, 0);
		op_end(&o);
		return sb_fallback(f);
	}
	op_begin(&o, h, SYS_mmap, hash, (uint64_t)a[0], 6 * 8 + sizeof(struct sb_mapid));
	op_in(&o, a, 6 * 8);
	long r;
	if (sb_recording(&o)) {
		struct sb_mapid id = sb_mapid_of(&st);
		op_in(&o, &id, sizeof(id));
		r = op_call(&o, SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (!raw_failed(r) && !known_file(&id))
			h->map_fds |= 1u << fd;  /* kept through it at the next flush */
	} else {
		r = o.rec->ret;
		if (!raw_failed(r) && map_copy(a, r, (const char *)o.p, (size_t)(o.end - o.p)) != r)
			sb_diverge(h, SYS_mmap, hash, o.rec);
	}
	op_end(&o);
	return r;
}

/* Called by ldstub.S on the slot's private stack: the raw result. */
long ld_dispatch(struct sb_frame *f)
{
	struct sb_hdr *h = (struct sb_hdr *)SB_LD_SLOT;
	long *a = f->a, r;
	switch (f->idx) {
	case SYS_openat:
		r = sb_open(h, f, a[0], (const char *)a[1], a[2], a[3]);
		break;
	case SYS_read:
		r = sb_recv(h, f, SYS_read, 3);
		break;
	case SYS_pread64:
		r = sb_pread(h, f);
		break;
	case SYS_newfstatat:
		r = path_call(h, a, SYS_newfstatat, 4, 1, 2, sizeof(struct stat), false);
		break;
	case SYS_close:
		/* The tracer keeps a mapped file through its descriptor: let it
		 * before the descriptor goes (replay's buffer ends here too). */
		if (h->mode == SB_RECORD && a[0] >= 0 && a[0] < 32 && (h->map_fds >> a[0] & 1))
			traced(SB_SYS_FLUSH, 0, 0, 0, 0, 0, 0);
		fd_forget(a[0]);
		r = sb_simple(h, a, SYS_close, 1, 0, 0);
		break;
	case SYS_access: {
		long args[6] = { AT_FDCWD, a[0], a[1] };
		r = path_call(h, args, SYS_faccessat, 3, 1, -1, 0, false);
		break;
	}
	/* The loader's memory: its maps of files (private: a shared one may
	 * join memory domains, which the tracer decides at the call), its
	 * zero-filled segments and first allocations, and making relocated
	 * data read-only.  An mprotect that makes memory writable stays
	 * traced (record_syscall.c watches those for shared maps). */
	case SYS_mmap:
		if (sb_anon_ok(a, true))
			r = sb_anon_map(h, a);
		else if (sb_map_of_file((const uint64_t *)a) && (int)a[4] < 32)
			r = file_map(h, f);
		else
			return sb_fallback(f);
		break;
	case SYS_mprotect:
		if (a[2] & PROT_WRITE)
			return sb_fallback(f);
		r = sb_reexec(h, a, SYS_mprotect, 3, 0, 0);
		break;
	case SYS_munmap:
		r = sb_reexec(h, a, SYS_munmap, 2, 0, 0);
		break;
	case SYS_rseq:
		/* The tracer answers it so, without running it (SC_ENOSYS: a
		 * restartable sequence would let the kernel change the
		 * program's path unrecorded); the same on replay, no record. */
		r = -ENOSYS;
		break;
	default:
		return sb_fallback(f);
	}
	if (!f->fallback)
		f->fallback = sb_sync_point(h);
	return r;
}

/* An rdtsc of ld.so (ldstub.S ld_rdtsc), for the slot's owner: the
 * counter, as the tracer would have answered the trap, without the trap
 * (some 22 us, ten times in every process).  Recording, it is extended
 * from the tracer's estimate in the header by the raw monotonic clock
 * (a system call the filter lets through; the vDSO's clock is a traced
 * syscall under scribe), the way the tracer itself extends it; replaying,
 * it is the recorded value.  *sync gets the frame's answer code. */
HIDDEN uint64_t ld_tsc(long *sync);

uint64_t ld_tsc(long *sync)
{
	struct sb_hdr *h = (struct sb_hdr *)SB_LD_SLOT;
	struct op o;
	op_begin(&o, h, SB_REC_RDTSC, 0, 0, 0);
	if (sb_recording(&o)) {
		struct timespec ts = {0};
		untraced(SYS_clock_gettime, CLOCK_MONOTONIC_RAW, (long)&ts, 0, 0, 0, 0);
		uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		uint64_t d = ns > h->tsc_ns ? ns - h->tsc_ns : 0;
		uint64_t v = h->tsc_base + (uint64_t)(((unsigned __int128)d * h->tsc_mult) >> 32);
		if (v <= h->tsc_last)
			v = h->tsc_last + 1;
		h->tsc_last = v;
		op_value(&o, (long)v);
	}
	uint64_t v = (uint64_t)o.rec->ret;
	op_end(&o);
	*sync = sb_sync_point(h);
	return v;
}

/* What the compiler may call for copies and zeroing (no libc here). */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}
