/* table.h -- the one syscall table that drives record, replay and dump.
 *
 * Each row says, for one x86-64 system call: its name and arguments (their
 * kinds, used to capture paths, compare on replay and print in dump), how
 * replay treats it (emulate from the trace, or execute it again because it
 * shapes the address space or per-task kernel state), which memory the
 * kernel writes (out-specs, or a family handler in sys_*.c for the complex
 * ones), and which memory it reads as data (write-family in-specs, hashed
 * for divergence checks and re-emitted on replay when the fd is stdout or
 * stderr).  A row with no name is a syscall scribe does not know: record
 * warns once and keeps only its result. */
#ifndef SCRIBE_TABLE_H
#define SCRIBE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "preload/sbuf.h"

#define SYS_MAX 470

/* Argument kinds (one character each in sysdesc.args). */
#define A_INT    'i'   /* signed decimal (64-bit: offsets, lengths) */
#define A_INT32  'd'   /* a C int (pids: -1, -pgrp), signed decimal */
#define A_UINT   'u'   /* unsigned decimal (sizes, counts) */
#define A_HEX    'x'   /* address or opaque value */
#define A_FD     'f'   /* file descriptor */
#define A_DIRFD  'D'   /* dirfd: AT_FDCWD or an fd */
#define A_PATH   's'   /* NUL-terminated path the kernel reads: captured */
#define A_OUT    'o'   /* pointer to memory the kernel writes */
#define A_IN     'b'   /* pointer to memory the kernel reads */
#define A_OFLAGS 'O'   /* open(2) flags */
#define A_MODE   'm'   /* permission bits, octal */
#define A_PROT   'P'   /* mmap/mprotect PROT_* */
#define A_MFLAGS 'M'   /* mmap MAP_* flags */
#define A_SIG    'S'   /* signal number */
#define A_WHENCE 'w'   /* lseek whence */
#define A_CLOCK  'c'   /* clockid_t */
#define A_IOCTL  'I'   /* ioctl request */
#define A_FCNTL  'F'   /* fcntl command */
#define A_AT     'A'   /* AT_* flags */
#define A_SIGHOW 'H'   /* SIG_BLOCK/UNBLOCK/SETMASK */
#define A_AF     'a'   /* address family */
#define A_FUTEX  'U'   /* futex op */
#define A_CLONE  'C'   /* clone flags */

/* Replay classes and properties. */
#define SC_EMU     0x0001  /* replay: skip and answer from the trace */
#define SC_REEXEC  0x0002  /* replay: run it again, result must match */
#define SC_FIXRET  0x0004  /* replay: run it again, return the recorded value */
#define SC_MMAP    0x0008  /* mmap family: placed at the recorded address */
#define SC_BLOCK   0x0010  /* may block indefinitely */
#define SC_EXEC    0x0020  /* execve/execveat */
#define SC_EXIT    0x0040  /* exit/exit_group: never returns */
#define SC_ENOSYS  0x0080  /* answered with -ENOSYS so libc falls back */
#define SC_EPERM   0x0100  /* answered with -EPERM and a warning */
#define SC_FORK    0x0200  /* creates a task */
#define SC_SIGMASK 0x0400  /* changes the signal mask for its duration */
#define SC_NEWFD   0x0800  /* returns a new file descriptor */
#define SC_NOOP    0x1000  /* answered 0 by scribe: recorded, not enforced */
#define SC_SCRIBE  0x2000  /* the preload library calling scribe (sbuf.h):
                              answered by scribe, registers not compared */
#define SC_LATE    0x4000  /* record: the result is all it gives (it writes
                              no memory), so it may be collected at the next
                              stop (record_late.c decides) */

/* Out-specs: memory the kernel writes, captured after the call returns. */
enum out_kind {
	O_NONE = 0,
	O_RET,       /* args[arg], length = return value (if > 0) */
	O_FIX,       /* args[arg], length = size (if the pointer is set) */
	O_ARG,       /* args[arg], length = args[aux] */
	O_PLEN,      /* args[arg], length = *(u32 *)args[aux] after the call */
	O_RETMUL,    /* args[arg], length = return value * size */
	O_ARGMUL,    /* args[arg], length = args[aux] * size */
	O_FDSET,     /* args[arg] fd_set of args[0] bits */
	O_RETMAX,    /* args[arg], length = return value, at most args[aux] */
};

struct outspec {
	uint8_t kind, arg, aux;
	uint32_t size;
};

/* In-specs: user data the kernel reads and sends somewhere (write family). */
enum in_kind {
	I_NONE = 0,
	I_BUF,       /* args[arg] with length args[aux] */
	I_IOV,       /* iovec array args[arg] with count args[aux] */
	I_MSG,       /* struct msghdr at args[arg] */
	I_KERNEL,    /* bytes moved inside the kernel to fd args[arg]: never in
	              * memory, so none to hash or to show again on replay */
};

/* Reads tracee memory; returns bytes read (short on a fault). */
typedef long (*mem_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* What a family handler may do while a syscall is captured. */
struct capture {
	void *ctx;
	mem_read_fn read;
	/* Add [addr, addr+len) to the event's written regions. */
	void (*region)(void *ctx, uint64_t addr, uint64_t len);
};

typedef void (*out_fn)(struct capture *cap, const uint64_t args[6], int64_t ret);

struct sysdesc {
	const char *name;       /* NULL: unknown to scribe */
	uint8_t nargs;
	char args[7];           /* one A_* kind per argument */
	uint32_t flags;
	struct outspec out[4];
	out_fn fn;              /* family handler for complex out memory */
	uint8_t in_kind, in_arg, in_aux;
};

extern const struct sysdesc sys_table[SYS_MAX];
/* Rows for the preload library's calls to scribe, SB_SYS_BASE + 1... */
extern const struct sysdesc sys_scribe_table[SB_SYS_LAST - SB_SYS_BASE];

static inline const struct sysdesc *sys_desc(long nr)
{
	if (nr > SB_SYS_BASE && nr <= SB_SYS_LAST)
		return &sys_scribe_table[nr - SB_SYS_BASE - 1];
	if (nr < 0 || nr >= SYS_MAX || !sys_table[nr].name)
		return 0;
	return &sys_table[nr];
}

/* Is a raw syscall result an error (-4095..-1, -errno)?  Larger negative
 * values are results too (an mmap address high up, lseek's offsets...). */
static inline bool sys_failed(int64_t ret)
{
	return ret < 0 && ret > -4096;
}

/* Name of any syscall number, known or not ("syscall_123"). */
const char *sys_name(long nr);

/* Run the row's out-specs and family handler. */
void sys_capture_out(const struct sysdesc *d, struct capture *cap,
                     const uint64_t args[6], int64_t ret);

/* Gather the bytes a write-family call hands to the kernel (at most `max`
 * of them into *data, malloc'd) and return their total length and hash. */
struct indata {
	uint64_t total, hash;
	uint8_t *prefix;
	size_t prefix_len;
};
bool sys_gather_in(const struct sysdesc *d, mem_read_fn rd, void *ctx,
                   const uint64_t args[6], size_t prefix_max, struct indata *out,
                   void (*sink)(void *sink_ctx, const uint8_t *p, size_t n),
                   void *sink_ctx);

/* Capture `bytes` of payload scattered over an iovec array. */
void sys_capture_iov(struct capture *cap, uint64_t iov, uint64_t cnt, uint64_t bytes);

/* Family handlers (sys_*.c). */
void sys_out_readv(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_recvmsg(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_sendmsg(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_recvmmsg(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_sendmmsg(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_ioctl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_fcntl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_prctl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_mincore(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_futex(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_keyctl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_shmctl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_semctl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_msgctl(struct capture *cap, const uint64_t args[6], int64_t ret);
void sys_out_msgrcv(struct capture *cap, const uint64_t args[6], int64_t ret);
/* Is this ioctl request one whose effects scribe knows? */
bool sys_ioctl_known(unsigned long req);

#endif
