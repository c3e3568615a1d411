/* scribe.h -- libscribe, the public C API of Scribe: read a trace's events
 * as data, and write new traces derived from old ones.
 *
 * Conventions (docs/api.md has the reference and a worked example):
 *  - Handles are opaque (scribe_trace, scribe_edit) and own everything
 *    they hand out.  Nothing is process-global: handles in different
 *    threads are independent; one handle is used by one thread at a time.
 *  - Functions that can fail return SCRIBE_OK (0) or a negative
 *    SCRIBE_E_* code, and the handle keeps a one-line message for the
 *    last failure (scribe_trace_error, scribe_edit_error).  The library
 *    never calls exit() and installs no signal handlers.
 *  - Structs handed to the caller start with a `size` field that the
 *    caller sets (to sizeof) when it passes one in, and the library sets
 *    when it fills one; members are only ever added at the end, so a
 *    program built against this header keeps working with later
 *    libraries.  The replay-control API (sessions, run_until, registers,
 *    memory, checkpoints) will be added the same way, as new handles.
 *
 * Link with `pkg-config --cflags --libs scribe` (libscribe.so.0: zstd,
 * xxhash and libc only).  Every exported symbol starts with scribe_. */
#ifndef SCRIBE_H
#define SCRIBE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SCRIBE_BUILDING_LIBRARY)
#define SCRIBE_API __attribute__((visibility("default")))
#else
#define SCRIBE_API
#endif

/* The API's version: bumped when anything is added; a program can compare
 * the header it was built with against scribe_api_version() at run time. */
#define SCRIBE_API_VERSION 1

SCRIBE_API int scribe_api_version(void);
/* The scribe release the library belongs to ("0.4.0"). */
SCRIBE_API const char *scribe_version(void);

/* Return codes. */
enum scribe_error {
	SCRIBE_OK = 0,
	SCRIBE_E_ARG = -1,        /* bad argument (no such event, wrong kind) */
	SCRIBE_E_IO = -2,         /* a file could not be read or written */
	SCRIBE_E_CORRUPT = -3,    /* the trace is damaged */
	SCRIBE_E_TRUNCATED = -4,  /* the trace ends early (recording
	                             interrupted, or cut short) */
	SCRIBE_E_VERSION = -5,    /* a trace format this library cannot read */
	SCRIBE_E_NOMEM = -6,
};

/* ---- reading a trace ------------------------------------------------- */

typedef struct scribe_trace scribe_trace;

/* Event kinds.  The numbers are those of the trace format (docs/
 * trace-format.md), plus SCRIBE_EV_STREAM, which is not an event. */
enum scribe_kind {
	SCRIBE_EV_EXEC = 1,     /* a task's address space replaced by execve */
	SCRIBE_EV_SYSCALL,      /* a system call and its result */
	SCRIBE_EV_SIGNAL,       /* a signal delivered to a task */
	SCRIBE_EV_RDTSC,        /* an rdtsc/rdtscp instruction, emulated */
	SCRIBE_EV_EXIT,         /* a task ended */
	SCRIBE_EV_TASK,         /* a task was created (fork/clone) */
	SCRIBE_EV_SWITCH,       /* the scheduler switched tasks in a domain */
	SCRIBE_EV_PREEMPT,      /* a task was preempted */
	SCRIBE_EV_JOIN,         /* the domain joined a group sharing memory */
	SCRIBE_EV_RELEASE,      /* a group's holder gave the group up */
	SCRIBE_EV_BUFFER,       /* a batch of calls the syscall buffer made
	                           itself; each call follows as its own
	                           SCRIBE_EV_SYSCALL with SCRIBE_EVF_BUFFERED */
	SCRIBE_EV_STREAM = 31,  /* not an event: a stream begins (only with
	                           SCRIBE_OPEN_STREAMS) */
};
#define SCRIBE_KIND_BIT(k) (1u << (k))

/* Event flags. */
#define SCRIBE_EVF_RESULT    0x01  /* syscall: it returned, `result` valid */
#define SCRIBE_EVF_BUFFERED  0x02  /* a call from a SCRIBE_EV_BUFFER batch */
#define SCRIBE_EVF_DATA_OUT  0x04  /* data: memory the call wrote */
#define SCRIBE_EVF_DATA_IN   0x08  /* data: bytes the call handed over */
#define SCRIBE_EVF_PARTIAL   0x10  /* data: only the first bytes of
                                      data_total are kept (writes) */
#define SCRIBE_EVF_STDOUT    0x20  /* the call wrote to scribe's stdout */
#define SCRIBE_EVF_STDERR    0x40  /* ... or to its stderr */

/* Memory a system call wrote.  The library hands out arrays of it, so it
 * never changes: more would come as a new struct and a new array. */
struct scribe_region {
	uint64_t addr;
	const uint8_t *data;
	size_t len;
};

/* One event.  Pointers stay valid until the next scribe_trace_next or
 * scribe_trace_close on the handle that returned it.
 *
 * Identity: an event is (stream, stream_index, sub).  `stream` is the
 * memory domain whose log holds it, `stream_index` its number in that
 * log (the first column of `scribe dump`), `sub` the 1-based position of
 * a buffered call in its batch (0 for everything else).  `index` is the
 * global index: the event's position in the order the library walks a
 * trace and `scribe dump` prints it -- streams in ascending number, each
 * in recorded order, a batch followed by its calls.  Streams are
 * independent logs: events of different domains have no recorded order
 * between them, so the global index orders them by stream, not by time. */
struct scribe_event {
	uint32_t size;           /* sizeof(struct scribe_event) as filled */
	uint32_t kind;           /* enum scribe_kind */
	uint64_t index;          /* global index (see above) */
	uint64_t stream_index;
	uint32_t stream;
	uint32_t sub;
	int32_t pid, tid;        /* recorded ids (pid: the thread group) */
	uint32_t flags;          /* SCRIBE_EVF_* */
	int32_t nr;              /* syscall or signal number; -1 otherwise */
	const char *name;        /* syscall name, signal name, or kind name */
	uint32_t nargs;
	uint64_t args[6];        /* syscall: its arguments (buffered calls
	                            keep only some); signal: where it was
	                            delivered (1 fault, 2 after a syscall, 3
	                            at the next syscall, 4 fatal, 5 at a
	                            signature), its ip; task: clone flags,
	                            domain; switch/release/join: the group */
	int64_t result;          /* syscall: result (-errno on failure);
	                            exit: wait status; rdtsc: the counter;
	                            task: the creator's tid; switch/release/
	                            join: the group turn */
	const uint8_t *data;     /* the data the call read (DATA_OUT: first
	                            region) or wrote (DATA_IN); NULL if none */
	size_t data_len;
	uint64_t data_addr;      /* DATA_OUT: where it went */
	uint64_t data_total;     /* DATA_IN: bytes handed over in all */
	uint32_t nregions;       /* every region the call wrote */
	const struct scribe_region *regions;
	const char *path;        /* first path argument, or exec's path */
	const char *text;        /* the line `scribe dump` prints for it
	                            (SCRIBE_OPEN_TEXT only, else NULL) */
	uint32_t argc;           /* exec: the new program's arguments */
	const char *const *argv; /* (argv[argc] is NULL) */
};

#define SCRIBE_OPEN_TEXT    0x1  /* fill scribe_event.text */
#define SCRIBE_OPEN_STREAMS 0x2  /* yield SCRIBE_EV_STREAM markers */

struct scribe_open_opts {
	uint32_t size;           /* sizeof(struct scribe_open_opts) */
	uint32_t flags;          /* SCRIBE_OPEN_* */
	uint32_t kinds;          /* SCRIBE_KIND_BIT()s to yield; 0: all */
	int32_t tid;             /* only this task's events; 0: all */
	int32_t stream;          /* only this stream; -1: all */
};

/* Open the trace directory `path` (opts may be NULL: everything).  On
 * success *out is the handle; on failure too, when memory allows (read
 * the message, then close it).  Returns SCRIBE_OK or SCRIBE_E_*. */
SCRIBE_API int scribe_trace_open(const char *path, const struct scribe_open_opts *opts,
                                 scribe_trace **out);
SCRIBE_API void scribe_trace_close(scribe_trace *tr);
/* The message of the handle's last failure ("" if none). */
SCRIBE_API const char *scribe_trace_error(const scribe_trace *tr);

/* Up to n events into buf.  Returns how many (> 0), 0 at the clean end of
 * the trace, or SCRIBE_E_* (the events before the damage were returned
 * by earlier calls; SCRIBE_E_TRUNCATED: the trace ends early).
 *
 * The caller's array is of its own struct scribe_event, which a later
 * header may make larger: scribe_trace_next passes its size along, and
 * the library fills that much of each element (bindings that declare the
 * struct themselves call scribe_trace_next_v with their size). */
SCRIBE_API int scribe_trace_next_v(scribe_trace *tr, struct scribe_event *buf, size_t n,
                                   size_t event_size);
static inline int scribe_trace_next(scribe_trace *tr, struct scribe_event *buf, size_t n)
{
	return scribe_trace_next_v(tr, buf, n, sizeof(*buf));
}

/* What the header says. */
struct scribe_info {
	uint32_t size;           /* sizeof(struct scribe_info) */
	uint32_t format_version;
	int argc;
	const char *const *argv; /* argv[argc] is NULL */
	int envc;
	const char *const *env;
	const char *cwd, *exe, *cpu, *kernel, *host, *scribe_version;
	uint64_t start_ns, end_ns;   /* realtime ns; end 0 if unknown */
	int complete;            /* the recording finished */
	int32_t status;          /* wait status of the first process (complete) */
	uint64_t events, bytes;  /* stored events and stream bytes */
	uint32_t nstreams;       /* event streams (files) the trace has */
	uint32_t ntasks, ndomains;
	uint32_t nwarnings;
	const char *const *warnings;  /* unsupported calls seen */
};
/* Fill *info (set info->size first).  Strings belong to the handle. */
SCRIBE_API int scribe_trace_info(scribe_trace *tr, struct scribe_info *info);

/* ---- writing a trace derived from another ---------------------------- */

typedef struct scribe_edit scribe_edit;

/* Start an edit of the trace at `path`.  Edits name events by (stream,
 * stream_index, sub) and are applied in order when saved. */
SCRIBE_API int scribe_edit_open(const char *path, scribe_edit **out);
SCRIBE_API void scribe_edit_close(scribe_edit *ed);
SCRIBE_API const char *scribe_edit_error(const scribe_edit *ed);
/* A syscall returns `result`; when data is not NULL, the memory it wrote
 * becomes those len bytes (at the address of its first region, or of its
 * buffered payload). */
SCRIBE_API int scribe_edit_set_result(scribe_edit *ed, uint32_t stream, uint64_t stream_index,
                                      uint32_t sub, int64_t result, const void *data, size_t len);
/* Remove a signal event: the replayed program does not get it. */
SCRIBE_API int scribe_edit_drop(scribe_edit *ed, uint32_t stream, uint64_t stream_index,
                                uint32_t sub);
/* End the trace before this event (of its stream; other streams stay
 * whole).  A cut trace is an interrupted recording: replay runs to the
 * cut and says the trace ends early. */
SCRIBE_API int scribe_edit_cut(scribe_edit *ed, uint32_t stream, uint64_t stream_index,
                               uint32_t sub);
/* Swap the places of two outputs to the recording's stdout or stderr
 * (syscalls with SCRIBE_EVF_STDOUT/STDERR) of different streams: the one
 * order between domains a trace keeps (docs/api.md), so replay writes
 * them the other way round, or reports that the program cannot. */
SCRIBE_API int scribe_edit_reorder(scribe_edit *ed, uint32_t stream_a, uint64_t index_a,
                                   uint32_t stream_b, uint64_t index_b);
/* Write the new trace to the directory `path` (must not exist). */
SCRIBE_API int scribe_edit_save(scribe_edit *ed, const char *path);

#ifdef __cplusplus
}
#endif

#endif
