/* preload.c -- the syscall buffer library, loaded into every recorded
 * process with LD_PRELOAD (see sbuf.h for the protocol, entry.S for how a
 * wrapped function gets here).
 *
 * sb_dispatch() makes or answers one wrapped call.  Recording, a call that
 * cannot block the memory domain runs in the process itself, through the
 * scribe page's untraced syscall instruction, and is logged in the slot;
 * a call that might wait for another task (a read from an empty pipe, a
 * write to a blocking socket, a tty) goes to the real libc function and
 * is traced as before.  Replaying, the same decisions are taken from the
 * same records, so the program follows the same path.
 *
 * Rules for this file: it runs on the slot's private stack with signals
 * held off by the tracer, so it must not call into libc (except errno and,
 * at start-up, dlsym) and must not use vector registers (the Makefile
 * builds it with -mgeneral-regs-only): whatever it leaves in registers or
 * memory outside the slot must be the same whether the kernel or the
 * buffer answered. */
#include <dlfcn.h>
#include <link.h>
#include <linux/futex.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#define XXH_VECTOR 0            /* XXH_SCALAR: no vector registers */
#include <xxhash.h>

#include "preload/core.h"
#include "preload/patch.h"
#include "preload/raw.h"
#include "preload/sbuf.h"

enum {
#define W(name, idx) IX_##name = idx,
#include "preload/wrapped.h"
#undef W
	NWRAPPED
};

static const char *const wrapped_names[NWRAPPED] = {
#define W(name, idx) [idx] = #name,
#include "preload/wrapped.h"
#undef W
};

HIDDEN void *sb_real[NWRAPPED];
HIDDEN __thread struct sb_hdr *sb_slot __attribute__((tls_model("initial-exec")));
static int next_slot;

static long result(long r)
{
	if (raw_failed(r)) {
		errno = (int)-r;
		return -1;
	}
	return r;
}
/* readv: as read, scattered. */
static long do_readv(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	int fd = (int)a[0], cnt = (int)a[2];
	const struct iovec *iov = (const struct iovec *)a[1];
	if (cnt < 0 || cnt > 64)
		return sb_fallback(f);
	size_t n = 0;
	for (int i = 0; i < cnt; i++)
		n += iov[i].iov_len;
	if (n > SB_MAX_PAYLOAD)
		return sb_fallback(f);
	long k = fd_kind(h, fd);
	if (k == SB_FD_TRACED)
		return sb_fallback(f);
	struct op o;
	op_begin(&o, h, SYS_readv, hash_more(hash_args(SYS_readv, a, 3), iov, cnt * sizeof(*iov)),
	         (uint64_t)fd, n);
	bool waits = k == SB_FD_WAITS;
	long r = waits ? op_call(&o, SYS_preadv2, fd, a[1], cnt, -1, 0, RWF_NOWAIT)
	               : op_call(&o, SYS_readv, fd, a[1], cnt, 0, 0, 0);
	if (waits && (r == -EAGAIN || r == -EOPNOTSUPP)) {
		op_end(&o);
		return sb_fallback(f);
	}
	for (int i = 0; i < cnt && r > 0 && (size_t)(o.p - (uint8_t *)(o.rec + 1)) < (size_t)r; i++) {
		size_t done = (size_t)(o.p - (uint8_t *)(o.rec + 1));
		op_copy(&o, iov[i].iov_base, MIN(iov[i].iov_len, (size_t)r - done));
	}
	op_end(&o);
	return result(r);
}
/* write, pwrite64, send, sendto: only where they cannot wait. */
static long do_write(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs)
{
	long *a = f->a;
	int fd = (int)a[0];
	long k = fd_kind(h, fd);
	bool dontwait = (nr == SYS_sendto) && (a[3] & MSG_DONTWAIT);
	if (k == SB_FD_TRACED || (k == SB_FD_WAITS && !dontwait))
		return sb_fallback(f);
	uint64_t hash = hash_more(hash_args(nr, a, nargs), (const void *)a[1], (size_t)a[2]);
	if (nr == SYS_sendto && a[4])
		hash = hash_more(hash, (const void *)a[4], (size_t)(socklen_t)a[5]);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash, (uint64_t)fd, 0);
	if (k == SB_FD_PLAIN && op_shared_write(&o, fd))
		return sb_fallback(f);
	long r = op_call(&o, nr, fd, a[1], a[2], a[3], a[4], a[5]);
	op_end(&o);
	return result(r);
}

static long do_writev(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	int fd = (int)a[0], cnt = (int)a[2];
	const struct iovec *iov = (const struct iovec *)a[1];
	if (cnt < 0 || cnt > 1024 || fd_kind(h, fd) != SB_FD_PLAIN)
		return sb_fallback(f);
	uint64_t hash = hash_args(SYS_writev, a, 3);
	for (int i = 0; i < cnt; i++)
		hash = hash_more(hash, iov[i].iov_base, iov[i].iov_len);
	struct op o;
	op_begin(&o, h, SYS_writev, hash, (uint64_t)fd, 0);
	if (op_shared_write(&o, fd))
		return sb_fallback(f);
	long r = op_call(&o, SYS_writev, fd, a[1], cnt, 0, 0, 0);
	op_end(&o);
	return result(r);
}
/* The same, from a libc wrapper: -1 and errno on failure. */
static long do_simple(struct sb_hdr *h, struct sb_frame *f, long nr, int nargs, int out_arg,
                      size_t out)
{
	return result(sb_simple(h, f->a, nr, nargs, out_arg, out));
}

/* copy_file_range between files: the kernel moves the bytes, replay
 * needs only the result and the offsets it moved. */
static long do_copy_range(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	if (fd_kind(h, (int)a[0]) != SB_FD_PLAIN || fd_kind(h, (int)a[2]) != SB_FD_PLAIN)
		return sb_fallback(f);
	struct op o;
	op_begin(&o, h, SYS_copy_file_range, hash_args(SYS_copy_file_range, a, 6), (uint64_t)a[0],
	         16);
	long r = op_call(&o, SYS_copy_file_range, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r >= 0) {
		op_copy(&o, (void *)a[1], a[1] ? 8 : 0);
		op_copy(&o, (void *)a[3], a[3] ? 8 : 0);
	}
	op_end(&o);
	return result(r);
}

/* isatty() and the terminal's size, asked by every program that prints:
 * reads that never wait, on any descriptor.  Bytes out, or 0 for other
 * requests. */
static size_t ioctl_get_size(unsigned long req)
{
	switch (req) {
	case 0x5401: return 36;      /* TCGETS: the kernel's struct termios */
	case 0x5413: return 8;       /* TIOCGWINSZ: struct winsize */
	}
	return 0;
}

/* ioctl: the requests that never wait and write little (an int, a
 * termios, a window size). */
static long do_ioctl(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	size_t out;
	switch ((unsigned long)a[1]) {
	case 0x40049409: out = 0; break;        /* FICLONE */
	case 0x5421:     out = 0; break;        /* FIONBIO (reads an int) */
	case 0x541B:     out = 4; break;        /* FIONREAD */
	case 0x5401: case 0x5413:
		out = ioctl_get_size((unsigned long)a[1]);
		break;
	default:
		return sb_fallback(f);
	}
	uint64_t hash = hash_args(SYS_ioctl, a, 3);
	if ((unsigned long)a[1] == 0x5421)
		fd_forget_all();
	if ((unsigned long)a[1] == 0x5421 && a[2])
		hash = hash_more(hash, (const void *)a[2], 4);
	struct op o;
	op_begin(&o, h, SYS_ioctl, hash, (uint64_t)a[0], out);
	long r = op_call(&o, SYS_ioctl, a[0], a[1], a[2], 0, 0, 0);
	if (r >= 0 && out)
		op_copy(&o, (void *)a[2], out);
	op_end(&o);
	return result(r);
}

/* getdents64 (readdir): a directory never waits. */
static long do_getdents(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	size_t n = (size_t)a[2];
	if (n > SB_MAX_PAYLOAD)
		return sb_fallback(f);
	struct op o;
	op_begin(&o, h, SYS_getdents64, hash_args(SYS_getdents64, a, 3), (uint64_t)a[0], n);
	long r = op_call(&o, SYS_getdents64, a[0], a[1], a[2], 0, 0, 0);
	if (r > 0)
		op_copy(&o, (void *)a[1], MIN((size_t)r, n));
	op_end(&o);
	return result(r);
}

static long do_gettimeofday(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	struct op o;
	op_begin(&o, h, SYS_gettimeofday, hash_args(SYS_gettimeofday, a, 2), 0, 16 + 8);
	long r = op_call(&o, SYS_gettimeofday, a[0], a[1], 0, 0, 0, 0);
	if (r == 0) {
		op_copy(&o, (void *)a[0], 16);
		op_copy(&o, (void *)a[1], 8);
	}
	op_end(&o);
	return result(r);
}

static long do_time(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	struct op o;
	op_begin(&o, h, SYS_time, hash_args(SYS_time, a, 1), 0, 8);
	long r = op_call(&o, SYS_time, a[0], 0, 0, 0, 0, 0);
	if (r >= 0)
		op_copy(&o, (void *)a[0], 8);
	op_end(&o);
	return result(r);
}

/* epoll_wait and poll: asked without waiting first; if nothing is ready
 * and the caller wanted to wait, the real function waits, traced. */
static long do_wait(struct sb_hdr *h, struct sb_frame *f, long nr)
{
	long *a = f->a;
	long n = a[1 + (nr == SYS_epoll_wait)];
	size_t unit = nr == SYS_epoll_wait ? 12 : 8;   /* packed epoll_event, pollfd */
	if (n < 0 || (size_t)n * unit > SB_MAX_PAYLOAD)
		return sb_fallback(f);
	long timeout = nr == SYS_epoll_wait ? (int)a[3] : (int)a[2];
	uint64_t hash = hash_args(nr, a, nr == SYS_epoll_wait ? 4 : 3);
	if (nr == SYS_poll)
		hash = hash_more(hash, (const void *)a[0], (size_t)n * unit);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash, (uint64_t)a[0], (size_t)n * unit);
	long r = nr == SYS_epoll_wait ? op_call(&o, nr, a[0], a[1], a[2], 0, 0, 0)
	                              : op_call(&o, nr, a[0], a[1], 0, 0, 0, 0);
	if (r == 0 && timeout != 0) {
		op_end(&o);
		return sb_fallback(f);
	}
	if (r >= 0)
		op_copy(&o, (void *)a[nr == SYS_epoll_wait], nr == SYS_poll ? (size_t)n * unit
		                                                          : (size_t)r * unit);
	op_end(&o);
	return result(r);
}

static long dispatch(struct sb_hdr *h, struct sb_frame *f);

/* A patched syscall site in libc (entry.S sb_raw_entry): raw result. */
HIDDEN long sb_raw_dispatch(struct sb_frame *f)
{
	struct sb_hdr *h = sb_slot;
	const long *a = f->a;
	long ret;
	switch (f->idx) {
	case SYS_rt_sigaction:       /* act and oact: struct kernel_sigaction */
		if (a[3] != 8)
			goto traced;
		ret = sb_reexec(h, a, SYS_rt_sigaction, 4, 2, 32);
		break;
	case SYS_rt_sigprocmask:
		if (a[3] != 8)
			goto traced;
		ret = sb_reexec(h, a, SYS_rt_sigprocmask, 4, 2, 8);
		break;
	case SYS_brk:
		ret = sb_reexec(h, a, SYS_brk, 1, 0, 0);
		break;
	case SYS_mmap:
		if (!sb_anon_ok(a, false))
			goto traced;
		ret = sb_anon_map(h, a);
		break;
	/* Reads of the process's or the system's state that never wait. */
	case SYS_getcwd:
		if ((size_t)a[1] > 4096)
			goto traced;
		ret = sb_simple_ret(h, a, SYS_getcwd, 2, 0, (size_t)a[1]);
		break;
	case SYS_getrandom:         /* waits only before the kernel's pool is ready */
		if ((size_t)a[1] > 4096)
			goto traced;
		ret = sb_simple_ret(h, a, SYS_getrandom, 3, 0, (size_t)a[1]);
		break;
	case SYS_sysinfo:
		ret = sb_simple(h, a, SYS_sysinfo, 1, 0, sizeof(struct sysinfo));
		break;
	case SYS_ioctl: {           /* tcgetattr (isatty), the window size */
		size_t out = ioctl_get_size((unsigned long)a[1]);
		if (!out)
			goto traced;
		ret = sb_simple(h, a, SYS_ioctl, 3, 2, out);
		break;
	}
	case SYS_mprotect:
		/* Only patch.c's own (set_prot): libc's text and our trampolines,
		 * private mappings.  No libc site is sent here. */
		ret = sb_reexec(h, a, SYS_mprotect, 3, 0, 0);
		break;
	case SYS_prlimit64:         /* getrlimit: reading only */
		if (a[2])
			goto traced;
		ret = sb_simple(h, a, SYS_prlimit64, 4, 3, 16);
		break;
	case SYS_close: {
		/* Inline closes (closedir, posix_spawn's child...). */
		fd_forget(a[0]);
		ret = sb_simple(h, a, SYS_close, 1, 0, 0);
		break;
	}
	case SYS_dup2:
	case SYS_dup3:
		fd_forget(a[1]);
		goto traced;
	case SYS_futex: {
		/* A wake-up never waits; replay answers it (the woken thread's
		 * wait is answered in the recorded order anyway). */
		int op = (int)a[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
		if (op != FUTEX_WAKE && op != FUTEX_WAKE_BITSET)
			goto traced;
		ret = sb_simple(h, a, SYS_futex, 3, 0, 0);
		break;
	}
	default:
	traced:
		f->fallback = 1;
		return 0;
	}
	f->fallback = sb_sync_point(h);
	return ret;
}

/* fcntl: the descriptor-flag commands; locks may wait, so traced. */
static long do_fcntl(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	if ((int)a[1] == F_SETFL)
		fd_forget_all();
	switch ((int)a[1]) {
	case F_GETFD: case F_SETFD: case F_GETFL: case F_SETFL: case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return do_simple(h, f, SYS_fcntl, 3, 0, 0);
	}
	return sb_fallback(f);
}

/* accept, accept4 on a non-blocking socket (a server's event loop). */
static long do_accept(struct sb_hdr *h, struct sb_frame *f, long nr)
{
	long *a = f->a;
	socklen_t *alen = a[1] ? (socklen_t *)a[2] : NULL;
	size_t room = alen ? *alen : 0;
	if (room > 128 || fd_kind(h, (int)a[0]) != SB_FD_PLAIN)
		return sb_fallback(f);
	struct op o;
	op_begin(&o, h, (uint32_t)nr, hash_args(nr, a, nr == SYS_accept4 ? 4 : 3), (uint64_t)a[0],
	         sizeof(*alen) + room);
	long r = op_call(&o, nr, a[0], a[1], a[2], nr == SYS_accept4 ? a[3] : 0, 0, 0);
	if (r >= 0 && alen) {
		op_copy(&o, alen, sizeof(*alen));
		op_copy(&o, (void *)a[1], MIN((size_t)*alen, room));
	}
	op_end(&o);
	return result(r);
}

static long do_stat(struct sb_hdr *h, long dirfd, long path, long st, long flags)
{
	long args[6] = { dirfd, path, st, flags };
	return path_call(h, args, SYS_newfstatat, 4, 1, 2, sizeof(struct stat), false);
}

/* Called by entry.S on the private stack. */
HIDDEN long sb_dispatch(struct sb_frame *f)
{
	struct sb_hdr *h = sb_slot;
	long ret = dispatch(h, f);
	if (!f->fallback)
		f->fallback = sb_sync_point(h);
	return ret;
}

static long dispatch(struct sb_hdr *h, struct sb_frame *f)
{
	long *a = f->a;
	switch (f->idx) {
	case IX___read_chk:
		if ((size_t)a[2] > (size_t)a[3])
			return sb_fallback(f);     /* the real one reports the overflow */
		return result(sb_recv(h, f, SYS_read, 3));
	case IX_read:       return result(sb_recv(h, f, SYS_read, 3));
	case IX_recv:
		a[4] = a[5] = 0;
		return result(sb_recv(h, f, SYS_recvfrom, 4));
	case IX_recvfrom:   return result(sb_recv(h, f, SYS_recvfrom, 6));
	case IX_readv:      return do_readv(h, f);
	case IX_pread64:
	case IX_pread:      return result(sb_pread(h, f));
	case IX_write:      return do_write(h, f, SYS_write, 3);
	case IX_pwrite64:
	case IX_pwrite:     return do_write(h, f, SYS_pwrite64, 4);
	case IX_send:
		a[4] = a[5] = 0;
		return do_write(h, f, SYS_sendto, 4);
	case IX_sendto:     return do_write(h, f, SYS_sendto, 6);
	case IX_writev:     return do_writev(h, f);
	case IX_lseek:
	case IX_lseek64:    return do_simple(h, f, SYS_lseek, 3, 0, 0);
	case IX_close:
		fd_forget(a[0]);
		return do_simple(h, f, SYS_close, 1, 0, 0);
	case IX_fstat:
	case IX_fstat64:    return do_simple(h, f, SYS_fstat, 2, 1, sizeof(struct stat));
	case IX_clock_gettime: return do_simple(h, f, SYS_clock_gettime, 2, 1, 16);
	case IX_gettimeofday:  return do_gettimeofday(h, f);
	case IX_time:       return do_time(h, f);
	case IX_getpid:     return do_simple(h, f, SYS_getpid, 0, 0, 0);
	case IX_getppid:    return do_simple(h, f, SYS_getppid, 0, 0, 0);
	case IX_gettid:     return do_simple(h, f, SYS_gettid, 0, 0, 0);
	case IX_getuid:     return do_simple(h, f, SYS_getuid, 0, 0, 0);
	case IX_geteuid:    return do_simple(h, f, SYS_geteuid, 0, 0, 0);
	case IX_getgid:     return do_simple(h, f, SYS_getgid, 0, 0, 0);
	case IX_getegid:    return do_simple(h, f, SYS_getegid, 0, 0, 0);
	case IX_epoll_wait: return do_wait(h, f, SYS_epoll_wait);
	case IX_poll:       return do_wait(h, f, SYS_poll);
	case IX_stat:
	case IX_stat64:     return result(do_stat(h, AT_FDCWD, a[0], a[1], 0));
	case IX_lstat:
	case IX_lstat64:    return result(do_stat(h, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW));
	case IX_fstatat:
	case IX_fstatat64:  return result(do_stat(h, a[0], a[1], a[2], a[3]));
	case IX_statx:      return result(path_call(h, a, SYS_statx, 5, 1, 4, 256, false));
	case IX_execve: {
		/* execvp and posix_spawnp try each directory of PATH, and most
		 * tries name no file: a buffered stat answers those (execve
		 * fails the same way on a path that does not resolve), the
		 * others are traced. */
		struct stat st;
		long r = do_stat(h, AT_FDCWD, a[0], (long)&st, 0);
		if (r == -ENOENT || r == -ENOTDIR)
			return result(r);
		return sb_fallback(f);
	}
	case IX_access: {
		long args[6] = { AT_FDCWD, a[0], a[1] };
		return result(path_call(h, args, SYS_faccessat, 3, 1, -1, 0, false));
	}
	case IX_faccessat: {
		long args[6] = { a[0], a[1], a[2], a[3] };
		return result(path_call(h, args, a[3] ? SYS_faccessat2 : SYS_faccessat, a[3] ? 4 : 3, 1, -1,
		                 0, false));
	}
	case IX_readlink: {
		long args[6] = { AT_FDCWD, a[0], a[1], a[2] };
		if ((size_t)a[2] > SB_MAX_PAYLOAD)
			return sb_fallback(f);
		return result(path_call(h, args, SYS_readlinkat, 4, 1, 2, (size_t)a[2], true));
	}
	case IX_readlinkat:
		if ((size_t)a[3] > SB_MAX_PAYLOAD)
			return sb_fallback(f);
		return result(path_call(h, a, SYS_readlinkat, 4, 1, 2, (size_t)a[3], true));
	case IX_open:
	case IX_open64:     return result(sb_open(h, f, AT_FDCWD, (const char *)a[0], a[1], a[2]));
	case IX___open_2:
	case IX___open64_2: return result(sb_open(h, f, AT_FDCWD, (const char *)a[0], a[1], 0));
	case IX_openat:
	case IX_openat64:   return result(sb_open(h, f, a[0], (const char *)a[1], a[2], a[3]));
	case IX_fcntl:
	case IX_fcntl64:    return do_fcntl(h, f);
	case IX___open_nocancel:
	case IX___open64_nocancel:
		return result(sb_open(h, f, AT_FDCWD, (const char *)a[0], a[1], a[2]));
	case IX___read_nocancel:  return result(sb_recv(h, f, SYS_read, 3));
	case IX___write_nocancel: return do_write(h, f, SYS_write, 3);
	case IX___close_nocancel:
		fd_forget(a[0]);
		return do_simple(h, f, SYS_close, 1, 0, 0);
	case IX___pread64_nocancel: return result(sb_pread(h, f));
	case IX_getdents64:       return do_getdents(h, f);
	case IX_copy_file_range:  return do_copy_range(h, f);
	case IX_posix_fadvise:
	case IX_posix_fadvise64:  /* returns the error number itself (no errno) */
		return -sb_simple(h, a, SYS_fadvise64, 4, 0, 0);
	case IX_ioctl:            return do_ioctl(h, f);
	case IX_madvise:          return result(sb_reexec(h, a, SYS_madvise, 3, 0, 0));
	case IX_dup2:
	case IX_dup3:
		fd_forget(a[1]);          /* replaced: traced as before */
		return sb_fallback(f);
	case IX_close_range:
		fd_forget_all();
		return sb_fallback(f);
	case IX_syscall:
		/* syscall(2) with a number that closes or replaces descriptors:
		 * forget what we knew of them; the call itself is traced. */
		if (a[0] == SYS_close)
			fd_forget(a[1]);
		else if (a[0] == SYS_dup2 || a[0] == SYS_dup3)
			fd_forget(a[2]);
		else if (a[0] == SYS_close_range)
			fd_forget_all();
		return sb_fallback(f);
	case IX_accept:     return do_accept(h, f, SYS_accept);
	case IX_accept4:    return do_accept(h, f, SYS_accept4);
	}
	return sb_fallback(f);
}

/* ---- start-up ------------------------------------------------------------ */

static long missing(void)
{
	errno = ENOSYS;
	return -1;
}

/* Find the real functions (also called by entry.S when a wrapper runs
 * before our constructor, from another library's). */
HIDDEN void sb_resolve(void)
{
	for (int i = 0; i < NWRAPPED; i++)
		if (!sb_real[i]) {
			void *p = dlsym(RTLD_NEXT, wrapped_names[i]);
			sb_real[i] = p ? p : (void *)missing;
		}
}

extern void *const sb_ours[NWRAPPED];   /* entry.S */

/* The executable segment of the object that holds `in` (libc), and
 * whether that object is libc. */
struct text {
	const void *in;
	void *start;
	size_t len;
	bool libc;
};

static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
	struct text *t = data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && (uintptr_t)t->in >= a &&
		    (uintptr_t)t->in < a + ph->p_memsz) {
			t->start = (void *)a;
			t->len = ph->p_memsz;
			t->libc = info->dlpi_name && strstr(info->dlpi_name, "/libc.so");
			return 1;
		}
	}
	return 0;
}
HIDDEN void sb_init_thread(void);

/* Under scribe (record or replay alike): also catch libc's own calls. */
static void patch_libc(void)
{
	/* Which wrapped functions libc defines: those in its text.  (dladdr
	 * per function searched libc's whole symbol table each time: 70 ms
	 * of CPU in a make of 128 processes.) */
	struct text lt = { sb_real[IX_read], NULL, 0, false };    /* before it points elsewhere */
	dl_iterate_phdr(find_text, &lt);
	bool in_libc[NWRAPPED];
	for (int i = 0; i < NWRAPPED; i++)
		in_libc[i] = lt.libc && sb_real[i] != (void *)missing &&
		             (uintptr_t)sb_real[i] - (uintptr_t)lt.start < lt.len;
	if (!sb_patch_begin())
		return;
	sb_patch(sb_real, sb_ours, in_libc, NWRAPPED);
	/* Calls made inline all over libc, by the score in every process:
	 * signal actions and masks, the heap's break, futex wake-ups,
	 * closes; and the start-up queries (anonymous maps, getcwd,
	 * getrandom, sysinfo, getrlimit, isatty) a compiler makes. */
	static const int nrs[] = { SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_brk, SYS_futex,
	                           SYS_close, SYS_dup2, SYS_dup3, SYS_mmap, SYS_getcwd,
	                           SYS_getrandom, SYS_sysinfo, SYS_prlimit64, SYS_ioctl };
	if (lt.libc)
		sb_patch_sites(lt.start, lt.len, nrs, (int)(sizeof(nrs) / sizeof(nrs[0])));
	sb_patch_end();
}

__attribute__((constructor)) static void sb_init(void)
{
	sb_resolve();
	if (!sb_slot)
		sb_init_thread();
	if ((uintptr_t)sb_slot > 1 && sb_slot->mode != SB_OFF)
		patch_libc();
}

/* A thread's first wrapped call: map a slot and tell the tracer where.
 * Run on the program's stack, the same way recording and replaying (the
 * tracer answers both calls from the trace on replay). */
HIDDEN void sb_init_thread(void)
{
	struct sb_hdr *h = (struct sb_hdr *)1;     /* none: always call libc */
	if (!sb_real[0])
		sb_resolve();
	for (;;) {
		int i = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED);
		if (i >= SB_NSLOTS)
			break;
		long addr = (long)(SB_AREA_BASE + (unsigned long)i * SB_SLOT_SIZE);
		/* A hint, not MAP_FIXED_NOREPLACE: a sandbox's own seccomp
		 * filter (Chromium's) kills a thread for flags it does not
		 * know, and the kernel takes a free hint as it is anyway. */
		long p = traced(SYS_mmap, addr, SB_SLOT_SIZE, PROT_READ | PROT_WRITE,
		                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p < 0 && p > -4096)
			break;
		if (p != addr) {
			traced(SYS_munmap, p, SB_SLOT_SIZE, 0, 0, 0, 0);
			continue;                 /* a slot inherited across fork */
		}
		traced(SB_SYS_REGISTER, addr, 0, 0, 0, 0, 0);
		h = (struct sb_hdr *)addr;
		break;
	}
	sb_slot = h;
}
