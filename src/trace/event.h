/* event.h -- the events of a trace and their one encoding.
 *
 * Every event starts with { u8 type, varint tid } where tid is the tid the
 * task had when recorded.  Type-specific fields follow, in the order of the
 * struct members below; ev_encode() and ev_decode() are the only code that
 * knows the byte layout, and docs/trace-format.md mirrors it.
 *
 * Decoded events point into the reader's chunk buffer (or, when recording,
 * into the tracer's capture buffers); ev_clear() frees what decoding
 * allocated. */
#ifndef SCRIBE_EVENT_H
#define SCRIBE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "core/maps.h"
#include "core/util.h"
#include "scribe.h"

/* The numbers are libscribe's public kinds (include/scribe.h), which
 * document each one: one list for the format and the API. */
enum ev_type {
	EV_EXEC = SCRIBE_EV_EXEC,
	EV_SYSCALL = SCRIBE_EV_SYSCALL,
	EV_SIGNAL = SCRIBE_EV_SIGNAL,
	EV_RDTSC = SCRIBE_EV_RDTSC,
	EV_EXIT = SCRIBE_EV_EXIT,
	EV_TASK = SCRIBE_EV_TASK,
	EV_SWITCH = SCRIBE_EV_SWITCH,
	EV_PREEMPT = SCRIBE_EV_PREEMPT,
	EV_JOIN = SCRIBE_EV_JOIN,
	EV_RELEASE = SCRIBE_EV_RELEASE,
	EV_BUF = SCRIBE_EV_BUFFER,
	EV_TYPE_MAX
};

/* EV_SYSCALL flags. */
#define SYSF_RESULT      0x01  /* the syscall returned: ret is valid */
#define SYSF_EMIT_OUT    0x02  /* data written went to scribe's stdout */
#define SYSF_EMIT_ERR    0x04  /* ... or to its stderr */
#define SYSF_UNSUPPORTED 0x08  /* not in the table: memory effects unknown */
#define SYSF_ANSWERED    0x10  /* scribe answered it without the kernel */
#define SYSF_INDATA      0x20  /* carries a hash of the bytes written */
#define SYSF_FILE        0x40  /* an mmap of a file kept as an object */
#define SYSF_ANON        0x80  /* an mmap of a device that acts as anonymous */
#define SYSF_SHARED      0x100 /* a call on a shared object (shobj names it):
                                  a MAP_SHARED mmap of a file, so replay can
                                  share it too; a private mmap of it, an
                                  ftruncate or a write of its file, so
                                  replay's copy sees them */
#define SYSF_OBJWRITE    0x200 /* with SYSF_SHARED: a write of its file
                                  that began at file offset objoff */
#define SYSF_SOCKNAME    0x400 /* a connect or accept: the socket's local and
                                  peer addresses as the kernel then had
                                  them (sockname), for the recorded fd
                                  tables (syscalls/fdtab.h) */
#define SYSF_FDPOS       0x800 /* a write to an O_APPEND file: the file
                                  position after it (fdpos), which its
                                  result does not say */

/* EV_SIGNAL kinds: where the signal was delivered. */
enum sig_kind {
	SIGK_FAULT = 1,     /* synchronous fault; recurs by itself on replay */
	SIGK_AFTER_SYSCALL, /* on the way out of this task's previous syscall */
	SIGK_AT_SYSCALL,    /* async, held back to the entry of the next syscall,
	                       delivered as if just before the syscall insn */
	SIGK_FATAL,         /* async and fatal: the task died of it here */
	SIGK_AT_SIGNATURE,  /* async, at a full-state signature */
	SIGK_NESTED,        /* taken right after the previous signal of this
	                       task, before its handler ran: the kernel found
	                       it pending once it had set that handler up */
};

struct ev_bytes {
	const uint8_t *p;
	size_t len;
};

struct ev_region {          /* memory written by the kernel */
	uint64_t addr;
	struct ev_bytes data;
};

struct ev_mapping {         /* one line of /proc/PID/maps after exec */
	uint64_t start, end, offset, hash;
	uint32_t prot;          /* PROT_* | (shared ? 0x100 : 0) */
	struct ev_bytes name;
};

struct ev_syscall {
	int32_t nr;
	uint32_t flags;
	uint8_t nargs;
	uint64_t args[6];
	int64_t ret;
	uint64_t ip;               /* rip at the syscall stop */
	uint64_t reghash;          /* XXH3 of all registers at entry */
	uint64_t inhash;           /* SYSF_INDATA: hash of bytes written */
	uint64_t inlen;            /* ... their total length */
	struct ev_bytes inprefix;  /* ... and their first bytes, for dump */
	uint64_t outseq;           /* SYSF_EMIT_*: order of this output among
	                              all the recording's outputs, all domains */
	uint32_t nstrings;         /* path arguments, in argument order */
	struct ev_bytes strings[2];
	uint32_t nregions;
	struct ev_region *regions;
	uint64_t filehash;         /* SYSF_FILE */
	uint32_t shobj;            /* SYSF_SHARED: object number in the recording */
	uint64_t objoff;           /* SYSF_OBJWRITE */
	struct ev_bytes sockname[2];  /* SYSF_SOCKNAME: local, peer sockaddr */
	uint64_t fdpos;            /* SYSF_FDPOS */
};

/* A full-state signature (DESIGN section 5): where a task was when it was
 * preempted or took an asynchronous signal in the middle of user code.
 * A spin-wait is a fixed point -- the same registers and memory on every
 * pass -- and is found again by its registers and memory hash alone.  Any
 * other point carries the state itself: the task's full register file and
 * every non-zero page of its writable memory, so replay restores it
 * instead of re-running the slice, and checks the hash. */
enum sigst_kind {
	SIGST_FIXED = 1,
	SIGST_SNAPSHOT,
	SIGST_DELTA,     /* a snapshot of only the pages written since the
	                    process's previous snapshot (core/dirty.h), zero
	                    ones included; every other page is as replay
	                    has it already */
};

struct ev_page {
	uint64_t addr;
	const uint8_t *data;       /* 4096 bytes */
};

struct ev_sigstate {
	uint8_t kind;              /* enum sigst_kind */
	struct user_regs_struct regs;
	uint64_t memhash;          /* memhash() of the process at the point
	                              (DELTA: memsnap_hash() of its pages) */
	uint64_t cpu_ns;           /* CPU time the task ran to get there */
	struct ev_bytes xstate;    /* SNAPSHOT, DELTA: the XSAVE area (FPU, SSE, AVX) */
	uint32_t npages;           /* SNAPSHOT: non-zero writable pages;
	                              DELTA: the pages written */
	struct ev_page *pages;
};

struct ev_signal {
	int32_t signo;
	uint8_t kind;              /* enum sig_kind */
	uint64_t ip;               /* rip when the signal was taken */
	struct ev_bytes info;      /* siginfo_t, 128 bytes */
	struct ev_sigstate st;     /* SIGK_AT_SIGNATURE only */
};

struct ev_rdtsc {
	uint8_t rdtscp;
	uint64_t tsc;
	uint32_t aux;
	uint64_t ip;
};

struct ev_exec {
	struct ev_bytes path;      /* /proc/PID/exe at the exec */
	uint64_t exe_hash;
	struct ev_bytes image;     /* HASH, or HASH.x: what replay execs (files_image) */
	uint64_t interp_hash;      /* 0: no PT_INTERP */
	uint64_t interp_addr;      /* where PT_INTERP's string sits in memory */
	struct ev_bytes interp_orig;
	uint32_t argc, envc;
	struct ev_bytes *argv, *envp;
	struct user_regs_struct regs;
	uint64_t stack_lo;         /* recorded rsp: stack bytes start here */
	struct ev_bytes stack;     /* [stack_lo, stack top) after auxv fixups */
	uint32_t nmaps;
	struct ev_mapping *maps;
	/* Optional from here (absent in older traces: decoded as 0/empty). */
	uint64_t vdso_addr;        /* 0: the vDSO was hidden (AT_IGNORE) */
	struct ev_bytes vdso;      /* its image, functions rewritten (vdso.c) */
	uint32_t layout;           /* EXEC_LAYOUT_* */
	uint32_t nmm;              /* 0, or MM_NFIELDS: */
	uint64_t mm[MM_NFIELDS];   /* the kernel's area bounds (core/maps.h) */
};
/* The kernel placed this image at random addresses: it turns ASLR back on
 * for a setuid, setgid or file-capability exec (PER_CLEAR_ON_SETID). */
#define EXEC_LAYOUT_RANDOM 1u

struct ev_exit {
	int32_t status;            /* wait status */
};

struct ev_task {
	uint32_t parent;           /* recorded tid of the creator */
	uint64_t flags;            /* clone flags */
	uint32_t domain;
};

struct ev_preempt {
	struct ev_sigstate st;
};

/* EV_SWITCH, EV_RELEASE: in a group, the group-wide number of the
 * acquisition (0 outside groups).  EV_JOIN: the group, and the number of
 * the acquisition the domain's holder has (0: it holds nothing). */
struct ev_sched {
	uint32_t group;
	uint64_t seq;
};

/* EV_BUF: the records (preload/sbuf.h, struct sb_rec each) a task's
 * syscall buffer held at its next stop, in the order they were made. */
struct ev_buf {
	uint32_t nrec;
	struct ev_bytes recs;
};

struct event {
	uint8_t type;
	uint32_t tid;
	union {
		struct ev_sched sched;
		struct ev_preempt pre;
		struct ev_syscall sys;
		struct ev_signal sig;
		struct ev_rdtsc tsc;
		struct ev_exec exec;
		struct ev_exit exit;
		struct ev_task task;
		struct ev_buf buf;
	};
};

void ev_encode(struct buf *out, const struct event *ev);
/* Returns 0, or -1 with err_set() on malformed input. */
int ev_decode(const uint8_t *p, size_t len, struct event *ev);
void ev_clear(struct event *ev);

const char *ev_type_name(int type);

#endif
