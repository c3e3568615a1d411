/* sbuf.h -- the syscall buffer: what the preload library (preload/) and the
 * tracer (record/record_buffer.c, replay/replay_buffer.c, dump) agree on.
 *
 * Every thread of a recorded process that calls one of the wrapped libc
 * functions gets a *slot*: a private anonymous mapping at a fixed place in
 * the buffer area, holding a header, the records of the calls made since
 * the tracer last looked, and a small private stack the library runs on.
 *
 * Recording, the library makes an eligible call itself, through the one
 * syscall instruction of the scribe page that the seccomp filter lets
 * through without a stop, and appends a record (number, result, a hash of
 * what the call was given, the bytes it wrote to memory).  At the thread's
 * next ptrace stop the tracer copies the records into the trace as one
 * EV_BUF event and empties the buffer.  Replaying, the tracer puts the
 * same records back into the slot before the thread runs, and the library
 * answers the calls from them without entering the kernel.
 *
 * The slots are never part of a full-state signature (memhash.c skips the
 * area): their contents legitimately differ between record and replay.
 * Anything the library must keep identical in both (errno, the program's
 * buffers, the registers it returns with) lives outside the area. */
#ifndef SCRIBE_SBUF_H
#define SCRIBE_SBUF_H

#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define SB_AREA_BASE   0x71000000ul
#define SB_SLOT_SIZE   0x80000ul                  /* 512 KiB per thread */
#define SB_NSLOTS      256
#define SB_AREA_END    (SB_AREA_BASE + SB_NSLOTS * SB_SLOT_SIZE)
/* The loader stub's slot (ldstub.h), right below the library's: the one
 * slot of a process's thread while ld.so runs, before the library has
 * one.  Memory hashes skip [SB_LD_SLOT, SB_AREA_END). */
#define SB_LD_SLOT     (SB_AREA_BASE - SB_SLOT_SIZE)
#define SB_SHARED_OFF  4096ul                     /* struct sb_shared_fd[] */
#define SB_RECS_OFF    8192ul                     /* records after those */
#define SB_STACK_SIZE  0x10000ul                  /* private stack: the top 64 KiB */
#define SB_RECS_CAP    (SB_SLOT_SIZE - SB_STACK_SIZE - SB_RECS_OFF)
/* The largest payload one record may carry; bigger calls go traced.  Every
 * call leaves room for an SB_REC_SYNC record after it. */
#define SB_MAX_PAYLOAD 0x40000ul

/* The library's untraced syscall: "syscall; ret" on the scribe page (the
 * filter allows the address after its syscall instruction). */
#define SB_UNTRACED_CALL 0x70000004ul

/* Calls the library makes to the tracer.  Numbers no kernel uses; the
 * tracer answers them at their seccomp stop. */
#define SB_SYS_BASE     0x5c0000
#define SB_SYS_REGISTER (SB_SYS_BASE + 1)  /* (slot address): a thread's slot */
#define SB_SYS_FLUSH    (SB_SYS_BASE + 2)  /* record: buffer full; replay: empty */
#define SB_SYS_SYNC     (SB_SYS_BASE + 3)  /* the tracer asked for a stop */
#define SB_SYS_DIVERGE  (SB_SYS_BASE + 4)  /* replay: a call differs from its record */
#define SB_SYS_LAST     SB_SYS_DIVERGE

/* What the library and the loader stub buffer, and how: a trace recorded
 * with another revision does not replay (its traced and buffered calls
 * fall elsewhere), so the trace header keeps it (HDR_SBUF) and replay
 * says so when it diverges.  1: traces without HDR_SBUF; 2: the stub's
 * maps, mprotect, munmap, rdtsc and rseq, and the library's buffered
 * mprotects of its patch; 3: writes to a file mapped shared made traced
 * (SB_RET_TRACED); 4: ld.so's cpuids answered by the stub from the
 * tracer's table (ldstub.h LD_CPUID), its memory and ld.so's text
 * patched accordingly. */
#define SB_REVISION 4

enum sb_mode {
	SB_OFF = 0,        /* not traced, or buffering off: call libc */
	SB_RECORD = 1,
	SB_REPLAY = 2,
};

#define SB_MAGIC 0x53425546u   /* "SBUF" */
#define SB_SHARED_MAX 48     /* the header fits before SB_REFS_OFF */

struct sb_hdr {
	uint32_t magic;
	uint32_t mode;        /* enum sb_mode, written by the tracer */
	uint32_t in_call;     /* the library is between its two stacks: the
	                         tracer neither delivers signals nor preempts */
	uint32_t want_sync;   /* record: a signal waits; stop for it (with an
	                         SB_REC_SYNC record) when the current call ends */
	uint32_t used;        /* record bytes written (record) or read (replay) */
	uint32_t limit;       /* replay: record bytes loaded */
	uint32_t nrec;        /* records written or read in this batch */
	uint32_t map_fds;     /* the loader stub, recording: descriptors 0-31
	                         with a map of their file in this batch (it
	                         flushes before closing one); emptied with
	                         the batch */
	/* scribe's own stdout and stderr: writes to them stay traced, since
	 * replay shows them again from the program's memory.  A descriptor
	 * of that device and inode is one of them only if it is the same
	 * open file (kcmp against fd 1 or 2 of out_pid, the recorder): a
	 * program's own open of /dev/null, when scribe's output is
	 * /dev/null too, is not. */
	uint64_t out_dev[2], out_ino[2];
	/* replay, for SB_SYS_DIVERGE: what the program asked for */
	uint32_t div_nr, div_rec_nr;
	uint64_t div_hash, div_rec_hash;
	/* The loader stub's slot only: the thread it answers for (the
	 * tracer's tid of it, recording and replaying); any other thread
	 * sharing the memory, or a forked child's copy, makes its calls
	 * traced. */
	uint32_t owner;
	uint32_t pad;
	/* The loader stub's slot, recording: how it answers ld.so's rdtsc
	 * without the trap (ldstub.c ld_tsc).  The counter is tsc_base at
	 * raw monotonic time tsc_ns and runs at tsc_mult / 2^32 per ns, as
	 * the tracer estimates it (core/cpu.c); tsc_last is the last value
	 * handed out, so the thread never sees it go back. */
	uint64_t tsc_base, tsc_ns, tsc_mult, tsc_last;
	uint32_t out_pid;     /* recording: the recorder's pid (see out_dev) */
	uint16_t out_fd[2];   /* ... and its fds of those files (0: 1 and 2;
	                         a library caller may give others) */
	/* Recording: the files mapped MAP_SHARED in the recording so far
	 * (shared_n of them; every regular file if more than SB_SHARED_MAX),
	 * as the tracer last told this thread.  A write to one of them is
	 * made traced (SB_RET_TRACED), so the tracer sees it and replay can
	 * put its bytes in the copy the mappings share (record_share.c). */
	uint32_t shared_n, shared_pad;
	uint64_t shared_dev[SB_SHARED_MAX], shared_ino[SB_SHARED_MAX];
};

/* One buffered call.  The payload (size - sizeof(struct sb_rec) bytes) is
 * what the call wrote to memory, in the order the library's copy-out for
 * that call expects.  Records start at multiples of 8 (sb_rec_stride). */
struct sb_rec {
	uint32_t nr;          /* syscall number, or an SB_REC_* pseudo-call */
	uint32_t size;        /* header and payload, without padding */
	int64_t ret;          /* result, or -errno */
	uint64_t arg0;        /* first argument (an fd, usually), for dump */
	uint64_t hash;        /* of the arguments and the bytes handed in */
};

/* The ret of a write's record when the library made the write traced
 * instead (a file mapped shared: sb_hdr.shared_n); replay falls back at
 * the same record. */
#define SB_RET_TRACED (-0x5c0000l)

/* Pseudo-calls: facts the library learned from the kernel to decide how to
 * make a call, recorded so that replay decides the same way. */
#define SB_REC_FDKIND 0x5c1000   /* ret = enum sb_fdkind of arg0 */
#define SB_REC_SYNC   0x5c1001   /* the library made SB_SYS_SYNC after the
                                    previous record (always in its batch) */
#define SB_REC_OPENKIND 0x5c1002 /* ret = 1 if opening the path may wait
                                    (a FIFO, a tty...): then it is traced */
#define SB_REC_RDTSC  0x5c1003   /* ret = the value an rdtsc of ld.so read
                                    (the loader stub's slot only) */
#define SB_REC_MAPKIND 0x5c1004  /* the loader stub left a map of arg0's
                                    file to the tracer (not a regular file) */
#define SB_REC_FDSTATE 0x5c1005  /* written by the tracer, never the library:
                                    after a batch's calls, the state of an fd
                                    they made or changed (struct sb_fdstate);
                                    replay drops it before loading the batch */

/* What the buffered calls' records do not keep of the fds they touched
 * (open flags, fcntl's command, a position after an O_APPEND write): the
 * state the tracer reads from /proc at the flush, for the recorded fd
 * tables (syscalls/fdtab.h).  arg0 = the fd, ret = its status flags
 * (F_GETFL), or -errno when it was closed again by the flush. */
struct sb_fdstate {
	int64_t pos;          /* file position */
	int32_t fdflags;      /* FD_CLOEXEC */
	int32_t dup_of;       /* a buffered fcntl(dup_of, F_DUPFD...) made it:
	                         the same description; else -1 */
	/* then, for an accepted socket: u32 local_len, u32 peer_len, and
	 * the two sockaddrs (the record's size says whether they are there) */
};

/* The most facts the tracer appends to one batch (record_fdstate.c), and
 * the bytes they may take: a batch in a trace is up to SB_RECS_CAP of
 * calls plus this (the reader's bound). */
#define SB_FACTS_MAX 64
#define SB_FACT_MAX_SIZE ((sizeof(struct sb_rec) + sizeof(struct sb_fdstate) + 8 + \
                           2 * 128 /* sockaddr_storage */ + 7) & ~7ul)
#define SB_FACTS_CAP (SB_FACTS_MAX * SB_FACT_MAX_SIZE)

/* A read of a file the recording can keep by reference.  Recording, a
 * read() or pread64() of a descriptor that cannot block which returned at
 * least SB_REF_MIN bytes carries, after the bytes, the 8-byte file offset
 * they were read at.  The tracer then checks them against the file
 * (a system file it keeps as an object anyway) and, when they match, writes
 * the record to the trace as SB_REC_FILE | nr with a struct sb_fileref
 * instead of the bytes; replay turns it back into the bytes before the
 * library sees it.  The library never sees SB_REC_FILE. */
#define SB_REF_MIN    512
#define SB_REC_FILE   0x40000000u
/* What the library learns, recording, of descriptors' files to decide
 * that (preload.c, struct ref_state) lives in its slot, after the header:
 * memory outside the slots must be the same in record and replay, and
 * replay never learns it. */
#define SB_REFS_OFF   1024ul
/* What the library learned, recording, of whether a descriptor's file is
 * mapped shared (sb_hdr.shared_n): per descriptor below SB_SHARED_FDS, in
 * the slot too.  Valid while the descriptor's epoch in the library (bumped
 * when the library sees it closed or replaced) and shared_n are those it
 * was learned at. */
#define SB_SHARED_FDS 512
struct sb_shared_fd {
	uint32_t epoch;
	uint32_t n_shared;    /* shared_n << 1 | whether it is one of them */
};
struct sb_fileref {
	uint64_t hash;        /* the object HASH holds the bytes */
	uint64_t offset;      /* ... `ret` of them, from here */
};

/* A private map of a regular file, by the loader stub (ld.so maps each
 * library four or five times).  Its record is SYS_mmap with the six
 * arguments, then, recording, what fstat said of the descriptor: the
 * tracer keeps the file at the flush, through /proc/TID/fd/N (so the
 * stub flushes before it closes one, sb_hdr.map_fds), or by this
 * identity when it has kept it before.  The trace holds the record as
 * SB_REC_MAP | SYS_mmap, the arguments and the hash of the object;
 * replaying, the tracer writes the arguments and the path of the object,
 * which the stub maps at the recorded address.  The stub never sees
 * SB_REC_MAP. */
#define SB_REC_MAP    0x20000000u
struct sb_mapid {
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

/* Is this mmap one of the loader stub's maps of a file? */
static inline int sb_map_of_file(const uint64_t *a)
{
	return !(a[3] & MAP_ANONYMOUS) && (a[3] & MAP_TYPE) == MAP_PRIVATE && (int)a[4] >= 0;
}

/* What fstat said of a file, as the stub records it. */
static inline struct sb_mapid sb_mapid_of(const struct stat *st)
{
	return (struct sb_mapid){ (uint64_t)st->st_dev, (uint64_t)st->st_ino,
	                          (uint64_t)st->st_size, st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	                          st->st_ctim.tv_sec, st->st_ctim.tv_nsec };
}

/* The flags that make a buffered mmap again, on replay, where the
 * recording got it: a MAP_FIXED one as asked (it replaces what is there
 * in both runs), any other only where nothing is. */
static inline uint64_t sb_remap_flags(uint64_t flags)
{
	return flags & MAP_FIXED ? flags : flags | MAP_FIXED_NOREPLACE;
}

enum sb_fdkind {
	SB_FD_BAD = 0,        /* not open */
	SB_FD_PLAIN,          /* cannot block: regular file, /dev/null..., or
	                         O_NONBLOCK */
	SB_FD_WAITS,          /* pipe or socket that may block: try without
	                         waiting, else make the call traced */
	SB_FD_TRACED,         /* anything else (tty, scribe's own output) */
};

/* Calls the library makes again when replaying, because they change the
 * process's kernel state (its break, its memory map, its signal actions
 * and mask, how pages are kept).  Their payload starts with the call's
 * arguments (as many as the syscall table gives it, 8 bytes each), then
 * the bytes handed in (the struct or set args[1] points to, when not
 * NULL), then what the call wrote: when replay restores a preempted slice
 * from a snapshot instead of running it, it makes these calls itself
 * (replay_buffer.c rp_sb_reapply). */
static inline int sb_rec_reexec(uint32_t nr)
{
	return nr == 9 /* mmap */ || nr == 10 /* mprotect */ || nr == 11 /* munmap */ ||
	       nr == 12 /* brk */ || nr == 13 /* rt_sigaction */ ||
	       nr == 14 /* rt_sigprocmask */ || nr == 28 /* madvise */;
}

/* Bytes a re-executed call hands in at args[1] (0: none). */
static inline uint32_t sb_rec_reexec_in(uint32_t nr)
{
	return nr == 13 ? 32 : nr == 14 ? 8 : 0;
}

/* Room a record with this much payload takes in the buffer. */
static inline uint32_t sb_rec_size(uint64_t payload)
{
	return (uint32_t)((sizeof(struct sb_rec) + payload + 7) & ~7ul);
}

/* Distance from a record of this size to the next one (64-bit: a corrupt
 * size near 4 GiB must not wrap to a small stride). */
static inline uint64_t sb_rec_stride(uint32_t size)
{
	return ((uint64_t)size + 7) & ~(uint64_t)7;
}

/* Copy the record at offset off of a batch of len bytes (off + its
 * header within len) to *rec; 1 if its size is sane and it fits. */
static inline int sb_rec_at(const uint8_t *recs, uint64_t len, uint64_t off, struct sb_rec *rec)
{
	__builtin_memcpy(rec, recs + off, sizeof(*rec));
	return rec->size >= sizeof(*rec) && sb_rec_stride(rec->size) <= len - off;
}

#endif
