/* ldstub.c -- the loader stub's calls (ldstub.h): ld.so's openat, read,
 * pread64, newfstatat, close and access, made or answered by the buffer's
 * core (core.c) in the loader's slot.  Built freestanding, linked at
 * LD_CODE (ldstub.lds) and carried inside scribe as a blob. */
#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "preload/core.h"
#include "preload/ldstub.h"

_Static_assert(offsetof(struct sb_hdr, owner) == 88, "slot_asm.h HDR_OWNER");
_Static_assert(SB_LD_SLOT == 0x70f80000, "ldstub.S LD_SLOT");
_Static_assert(LD_DATA == 0x70f7e000, "ldstub.lds LD_DATA");

HIDDEN long ld_dispatch(struct sb_frame *f);

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
		fd_forget(a[0]);
		r = sb_simple(h, a, SYS_close, 1, 0, 0);
		break;
	case SYS_access: {
		long args[6] = { AT_FDCWD, a[0], a[1] };
		r = path_call(h, args, SYS_faccessat, 3, 1, -1, 0, false);
		break;
	}
	default:
		return sb_fallback(f);
	}
	if (!f->fallback)
		f->fallback = sb_sync_point(h);
	return r;
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
