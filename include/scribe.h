/* scribe.h -- libscribe, the public C API of Scribe: read a trace's events
 * as data, write new traces derived from old ones, and run replays that
 * stop, are inspected, and go on.
 *
 * Conventions (docs/api.md has the reference and a worked example):
 *  - Handles are opaque (scribe_trace, scribe_edit, scribe_replay,
 *    scribe_record) and own everything they hand out.  Nothing is
 *    process-global (docs/design.md §12 lists what a session still shares
 *    with its process): handles in different threads are independent; one
 *    handle is used by one thread at a time.
 *  - Functions that can fail return SCRIBE_OK (0) or a negative
 *    SCRIBE_E_* code, and the handle keeps a one-line message for the
 *    last failure (scribe_trace_error, scribe_edit_error,
 *    scribe_replay_error).  The library never calls exit(); its one
 *    signal handler is a session's wake-up (docs/api.md, "Signals").
 *  - Structs handed to the caller start with a `size` field that the
 *    caller sets (to sizeof) when it passes one in, and the library sets
 *    when it fills one; members are only ever added at the end, so a
 *    program built against this header keeps working with later
 *    libraries.  Replay sessions (scribe_replay) came that way; checkpoints
 *    will too.
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
#define SCRIBE_API_VERSION 2     /* 2: replay sessions (scribe_replay_*) */

SCRIBE_API int scribe_api_version(void);
/* The scribe release the library belongs to ("0.5.0"). */
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
	SCRIBE_E_DIVERGED = -7,   /* replay: the program departed from the
	                             trace (the session stays inspectable) */
	SCRIBE_E_STATE = -8,      /* replay: not stopped, or already over */
	SCRIBE_E_AGAIN = -9,      /* replay: still running (wait timed out) */
	SCRIBE_E_NOTASK = -10,    /* replay: no such live task */
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

/* ---- controlling a replay -------------------------------------------- */

/* A replay of a trace that runs until a condition, stops with every task
 * in a ptrace stop, and can be inspected and continued.  The replay runs
 * on threads of the library's own; any thread may call scribe_replay_pause,
 * every other call is made by one thread at a time.  Sessions are
 * independent of each other. */
typedef struct scribe_replay scribe_replay;

struct scribe_replay_opts {
	uint32_t size;           /* sizeof(struct scribe_replay_opts) */
	/* The replayed program's output to its stdout (fd 1) and stderr
	 * (fd 2), called from the replay's threads; NULL: write it to this
	 * process's fds 1 and 2. */
	void (*output)(void *ctx, int fd, const void *data, size_t len);
	void *output_ctx;
	uint32_t flags;          /* API 3: SCRIBE_REPLAY_* */
};
/* The session may go live (scribe_replay_go_live): the program runs with
 * no seccomp filter, its syscalls stopped with PTRACE_SYSEMU instead
 * (docs/design.md §17).  Checkpoints are refused in such a session. */
#define SCRIBE_REPLAY_LIVE 0x1                                   /* API 3 */

/* Start a replay of the trace at `path`: the program is started and the
 * replay stops before its first event (SCRIBE_STOP_START).  *out is set
 * even on failure when memory allows (read scribe_replay_error, close). */
SCRIBE_API int scribe_replay_open(const char *path, const struct scribe_replay_opts *opts,
                                  scribe_replay **out);
/* Kill the replayed program and free the session (at any time). */
SCRIBE_API void scribe_replay_close(scribe_replay *r);
SCRIBE_API const char *scribe_replay_error(const scribe_replay *r);

/* When to stop: the members flagged in `what` must all match the next
 * event a task is about to execute (an event boundary).  what == 0: run
 * to the end.  Calls the syscall buffer made inside a batch are not
 * boundaries: a stop at one stops before its SCRIBE_EV_BUFFER batch. */
#define SCRIBE_UNTIL_NEXT   0x01  /* the next boundary of any task (step) */
#define SCRIBE_UNTIL_KINDS  0x02  /* its kind is in `kinds` (SCRIBE_KIND_BIT);
                                     SCRIBE_EV_EXIT: the exit or exit_group
                                     call that ends a task (an exit event
                                     is taken when the task is gone) */
#define SCRIBE_UNTIL_TID    0x04  /* it is task `tid`'s (recorded tid) */
#define SCRIBE_UNTIL_NR     0x08  /* its syscall / signal number is `nr` */
#define SCRIBE_UNTIL_EVENT  0x10  /* it is (stream, stream_index), or the
                                     first boundary of that stream after */
#define SCRIBE_UNTIL_INDEX  0x20  /* the same, for the global index `index`
                                     (struct scribe_event's) */
struct scribe_until {
	uint32_t size;           /* sizeof(struct scribe_until) */
	uint32_t what;           /* SCRIBE_UNTIL_* */
	uint32_t kinds;
	int32_t tid;
	int32_t nr;
	uint32_t stream;
	uint64_t stream_index;
	uint64_t index;
	const char *bookmark;    /* SCRIBE_UNTIL_BOOKMARK: its name (API 3) */
};

enum scribe_stop_reason {
	SCRIBE_STOP_START = 1,   /* opened, nothing has run yet */
	SCRIBE_STOP_MATCH,       /* the condition matched */
	SCRIBE_STOP_PAUSED,      /* scribe_replay_pause */
	SCRIBE_STOP_ENDED,       /* the program is over: `status` */
	SCRIBE_STOP_DIVERGED,    /* it departed from the trace: `message` */
	SCRIBE_STOP_ERROR,       /* the replay failed: `message` */
	SCRIBE_STOP_BREAK,       /* API 3: a breakpoint (scribe_replay_break):
	                            task `tid` is about to run `addr` */
	SCRIBE_STOP_STEP,        /* API 3: task `tid` made its single step */
	SCRIBE_STOP_WATCH,       /* API 3: the watched range at `addr` was
	                            written (or read: SCRIBE_BREAK_ACCESS) */
};

/* Where a session stopped.  Strings belong to the session and stay valid
 * until it is resumed or closed. */
struct scribe_stop {
	uint32_t size;           /* sizeof(struct scribe_stop) */
	int32_t reason;          /* enum scribe_stop_reason */
	uint32_t stream;         /* MATCH, DIVERGED: the event about to run */
	uint64_t stream_index;   /* (the identity of struct scribe_event) */
	int32_t tid;             /* the recorded tid of the task at it */
	uint32_t kind;           /* MATCH: its kind */
	int32_t nr;              /* MATCH: its syscall / signal number, or -1 */
	int32_t status;          /* ENDED: the program's wait status */
	const char *expected;    /* DIVERGED: the trace's next event, as
	                            `scribe dump` prints it */
	const char *message;     /* DIVERGED, ERROR: the line `scribe replay`
	                            prints after "scribe: " */
	uint64_t addr;           /* API 3: BREAK, WATCH: the breakpoint's or
	                            watched range's address */
	uint64_t task_events;    /* API 3: the event boundaries task `tid` has
	                            passed before this stop (the same in every
	                            replay: with the registers, a position) */
};

/* Go on until `until` (NULL: the end), without waiting. */
SCRIBE_API int scribe_replay_resume(scribe_replay *r, const struct scribe_until *until);
/* Wait until the replay stops, at most timeout_ms (< 0: forever).
 * SCRIBE_OK with *stop filled, SCRIBE_E_AGAIN if it still runs. */
SCRIBE_API int scribe_replay_wait(scribe_replay *r, int timeout_ms, struct scribe_stop *stop);
/* resume, then wait: SCRIBE_OK, or SCRIBE_E_DIVERGED / SCRIBE_E_* with
 * *stop filled too (the session stays inspectable after a divergence). */
SCRIBE_API int scribe_replay_run(scribe_replay *r, const struct scribe_until *until,
                                 struct scribe_stop *stop);
/* Stop the replay as soon as possible (SCRIBE_STOP_PAUSED); from any
 * thread.  Returns at once: wait for the stop with scribe_replay_wait. */
SCRIBE_API int scribe_replay_pause(scribe_replay *r);

/* ---- inspecting a stopped replay (SCRIBE_E_STATE otherwise) ---- */

enum scribe_task_state {
	SCRIBE_TASK_AT_EVENT = 0,  /* holds its domain, about to run its next event */
	SCRIBE_TASK_WAITING,       /* stopped, waiting for its turn in its domain */
	SCRIBE_TASK_STOPPED,       /* stopped elsewhere (a pause stopped it
	                              where it was running) */
	SCRIBE_TASK_DEAD,          /* gone; its exit not yet matched in the trace */
};

struct scribe_task {
	uint32_t size;           /* sizeof(struct scribe_task) as filled */
	int32_t tid, pid;        /* as recorded (pid: its thread group) */
	int32_t real_tid, real_pid;   /* in this replay */
	uint32_t stream;         /* its memory domain's stream */
	int32_t state;           /* enum scribe_task_state */
	int32_t holder;          /* holds its domain */
};
/* Up to n tasks into buf; returns how many there are in all (>= 0). */
SCRIBE_API int scribe_replay_tasks(scribe_replay *r, struct scribe_task *buf, size_t n);

/* The general registers, in the order of the kernel's struct
 * user_regs_struct (x86-64), fs and gs bases included.  Fixed, like
 * struct scribe_region: it is the kernel's layout, with no size field. */
struct scribe_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base, ds, es, fs, gs;
};
SCRIBE_API int scribe_replay_regs(scribe_replay *r, int32_t tid, struct scribe_regs *regs);
/* The task's XSAVE area (FPU, SSE, AVX...) as PTRACE_GETREGSET
 * NT_X86_XSTATE gives it: its length, or SCRIBE_E_*. */
SCRIBE_API long scribe_replay_xsave(scribe_replay *r, int32_t tid, void *buf, size_t cap);
/* Read n bytes of the task's memory at addr: how many were read (fewer
 * at an unmapped page), or SCRIBE_E_*. */
SCRIBE_API long scribe_replay_read(scribe_replay *r, int32_t tid, uint64_t addr, void *buf,
                                   size_t n);
/* The memory map of the process with recorded pid `pid`, the text of
 * its /proc/PID/maps (file names included) into buf (NUL-terminated,
 * cut to cap): its full length, or SCRIBE_E_*. */
SCRIBE_API long scribe_replay_maps(scribe_replay *r, int32_t pid, char *buf, size_t cap);

/* ---- the recorded fd tables (API 3) ------------------------------------ */

/* A process's file descriptors as the trace says they are at a stop: the
 * fds the first process started with (recorded), then everything its
 * and its ancestors' syscalls did to them, traced or buffered
 * (docs/api.md says what is known of each kind).  The replayed program
 * itself holds none of them: its calls are answered from the trace. */
enum scribe_fd_type {                                   /* API 3 */
	SCRIBE_FD_UNKNOWN = 0,   /* made by something the trace does not say */
	SCRIBE_FD_FILE,          /* regular file, device, FIFO by path */
	SCRIBE_FD_DIR,
	SCRIBE_FD_PIPE,
	SCRIBE_FD_SOCKET,
	SCRIBE_FD_EVENTFD,
	SCRIBE_FD_TIMERFD,
	SCRIBE_FD_SIGNALFD,
	SCRIBE_FD_EPOLL,
	SCRIBE_FD_MEMFD,
	SCRIBE_FD_INOTIFY,
	SCRIBE_FD_PIDFD,
	SCRIBE_FD_OTHER,         /* `path` names it (io_uring, userfaultfd...) */
};

struct scribe_fd_epoll {                                /* API 3 */
	int32_t fd;              /* the registered fd number */
	uint32_t events;         /* EPOLL* */
	uint64_t data;
	uint64_t desc;           /* the description it named when added */
};

struct scribe_fd_watch {                                /* API 3 */
	int32_t wd;
	uint32_t mask;           /* IN_* */
	const char *path;
};

struct scribe_fd_sockopt {                              /* API 3 */
	int32_t level, name;     /* SOL_SOCKET, SO_REUSEADDR ... */
	uint32_t len;            /* the value's length as given */
	uint8_t value[16];       /* its first bytes */
};

/* Strings and arrays belong to the session and stay valid until it is
 * resumed, closed, or asked for fds again. */
struct scribe_fd {                                      /* API 3 */
	uint32_t size;           /* sizeof(struct scribe_fd) as filled */
	int32_t fd;
	int32_t type;            /* enum scribe_fd_type */
	int32_t fd_flags;        /* FD_CLOEXEC */
	int32_t flags;           /* status flags, as F_GETFL: O_ACCMODE,
	                            O_APPEND, O_NONBLOCK... */
	int32_t offset_known;    /* 0: `offset` is not known (after an
	                            O_APPEND write, for instance: `at_end`) */
	int64_t offset;          /* file position (files, dirs, memfds) */
	int32_t at_end;          /* last moved by an O_APPEND write */
	int32_t deleted;         /* its path was unlinked while open */
	uint64_t desc;           /* open file description: equal for fds that
	                            share one (dup, fork, inherited) */
	const char *path;        /* file/dir path (absolute where the trace
	                            allows), "memfd:NAME", a socket's local
	                            address ("127.0.0.1:80", "/path", "@abs"),
	                            what an OTHER or inherited fd is; "" if none */
	const char *peer;        /* socket: the peer's address, or "" */
	const char *text;        /* one line saying all of it */
	/* PIPE, and SOCKET from socketpair: both ends share pipe_id */
	uint64_t pipe_id;
	int32_t end;             /* 0: read end / first socket; 1: the other */
	uint64_t peer_desc;      /* the other end's desc, or 0 */
	/* SOCKET */
	int32_t family, socktype, protocol;
	int32_t listening, backlog;       /* backlog -1: unknown */
	int32_t connected;
	/* EVENTFD */
	int32_t count_known;
	uint64_t count;
	/* TIMERFD: as last set (relative unless TFD_TIMER_ABSTIME) */
	int32_t clockid, timer_flags;
	int64_t value_ns, interval_ns;
	/* SIGNALFD */
	uint64_t sigmask;        /* bit N-1: signal N */
	/* EPOLL */
	uint32_t nepoll;
	const struct scribe_fd_epoll *epoll;
	/* INOTIFY */
	uint32_t nwatches;
	const struct scribe_fd_watch *watches;
	/* PIDFD */
	int32_t pidfd_pid;
	/* SOCKET: options set by setsockopt, as last set */
	uint32_t nsockopts;
	const struct scribe_fd_sockopt *sockopts;
};

/* Up to n fds of the process with recorded pid `pid`, at a stop, in fd
 * order: how many it has in all (>= 0), or SCRIBE_E_* (SCRIBE_E_NOTASK:
 * no such live process). */
SCRIBE_API int scribe_replay_fds(scribe_replay *r, int32_t pid, struct scribe_fd *buf,
                                 size_t n);                           /* API 3 */
/* ---- bookmarks (API 3) ----------------------------------------------- */

/* A named point of a recording, taken while it ran: by `scribe bookmark
 * [NAME]` from another shell, or by the program itself with a path call
 * on "/dev/scribe/bookmark/NAME" (access(2), stat(2)...: it fails with
 * ENOENT, recorded or not).  Streams are recorded in parallel, so a
 * bookmark is a position in each of them: each stream that had begun
 * had logged its events before `stream_index[i]` (a cut across streams,
 * not an instant: a call is logged when it returns, a buffered batch at
 * the task's next stop; a stream made by a fork or clone its creator had
 * not logged yet has no position).  A program's own bookmark is exact in its own
 * stream: its position is the call's event, or the SCRIBE_EV_BUFFER
 * batch holding it when the syscall buffer made it. */
struct scribe_bookmark {
	uint32_t size;           /* sizeof(struct scribe_bookmark) */
	const char *name;
	uint64_t time_ns;        /* realtime when it was taken */
	int32_t tid;             /* the task that set it itself; 0: set from
	                            outside (scribe bookmark) */
	uint32_t stream;         /* that task's stream (tid != 0) */
	uint32_t npos;           /* streams it has a position in */
	const uint32_t *streams;           /* npos streams, ascending */
	const uint64_t *stream_index;      /* ... their positions */
};
/* How many bookmarks the trace has (>= 0; traces recorded before bookmarks
 * existed have none), or SCRIBE_E_*. */
SCRIBE_API int scribe_trace_bookmarks(scribe_trace *tr);
/* The i-th bookmark, in the order they were taken (set bm->size first).
 * Pointers belong to the handle and live as long as it does. */
SCRIBE_API int scribe_trace_bookmark(scribe_trace *tr, uint32_t i, struct scribe_bookmark *bm);

/* scribe_until.what: run to the bookmark named `bookmark` (alone: no other
 * SCRIBE_UNTIL_* with it).  Each domain parks at the first event boundary
 * at or after its position while the others go on, and the replay stops
 * when every stream with a position is parked there or has ended.  The
 * stop (SCRIBE_STOP_MATCH) names the setter's stream for a program's own
 * bookmark, else the stream that got there last.  For a program's own
 * bookmark that is just before the call, or, for a buffered call, at the
 * traced event that ended its batch (the calls of a batch are not
 * boundaries): the call has run then. */
#define SCRIBE_UNTIL_BOOKMARK 0x40
/* ---- debugging a replay: breakpoints, watchpoints, single steps (API 3)
 *
 * Kept by the library in the CPU's debug registers (three are free for
 * them, shared by breakpoints and watchpoints): the program's memory is
 * never written, so reads and the replay's own checks see it as recorded.
 * A watched range written by the replay itself (the out-memory of a call
 * answered from the trace: a read into a watched buffer) stops too, just
 * after that call.  Breakpoints and steps inside a slice the replay
 * restores from a snapshot instead of running (a preemption placed by
 * signature) are not seen: docs/debugging.md. */

enum scribe_break_kind {
	SCRIBE_BREAK_EXEC = 0,   /* stop before the instruction at addr (len 1) */
	SCRIBE_BREAK_WRITE = 1,  /* stop after a write to [addr, addr+len) */
	SCRIBE_BREAK_ACCESS = 3, /* ... after a read or a write (x86 has no
	                            read-only watchpoints) */
	SCRIBE_BREAK_SOFT = 8,   /* stop before the instruction at addr, by an
	                            int3 the library writes into the program's
	                            text and hides from scribe_replay_read (no
	                            limit on their number; len 1) */
};
/* Add a breakpoint or watchpoint in every task of the process with
 * recorded pid `pid` (0: every process; the last call's pid is the one
 * for all of them; SCRIBE_BREAK_SOFT: that process only, not 0).  len: 1 (EXEC), or 1, 2, 4, 8 with addr aligned to
 * it.  At a stop only; SCRIBE_E_ARG with a message when no debug register
 * is free or the size is wrong. */
SCRIBE_API int scribe_replay_break(scribe_replay *r, int kind, uint64_t addr, uint32_t len,
                                   int32_t pid);                              /* API 3 */
/* Remove one added with the same kind, addr and len. */
SCRIBE_API int scribe_replay_unbreak(scribe_replay *r, int kind, uint64_t addr,
                                     uint32_t len);                           /* API 3 */
/* The next resume (scribe_replay_resume / run) makes task `tid` (recorded
 * tid) run one instruction and stop with SCRIBE_STOP_STEP; the other
 * tasks run meanwhile as the trace lets them, and any other stop may come
 * first.  A step over a system call stops after the instruction that
 * follows it. */
SCRIBE_API int scribe_replay_step(scribe_replay *r, int32_t tid);               /* API 3 */
/* ---- checkpoints of a stopped replay (API 3) -------------------------- */

/* A copy of a stopped replay to come back to: every replayed process
 * forked and frozen, and the engine's state for them.  It belongs to the
 * session that made it; restoring it does not use it up.  It is taken
 * at a syscall event (a run to a syscall) or a pause; a state that cannot
 * be copied faithfully yet (writable MAP_SHARED memory...) is refused
 * with SCRIBE_E_STATE and a message saying why. */
typedef struct scribe_checkpoint scribe_checkpoint;          /* API 3 */

/* At a stop: take a checkpoint into *out.  SCRIBE_OK, or SCRIBE_E_STATE
 * (not stopped, over, or a state not supported: the message says which). */
SCRIBE_API int scribe_replay_checkpoint(scribe_replay *r, scribe_checkpoint **out); /* API 3 */
/* At a stop: kill the current program and continue from a fresh copy of
 * the checkpoint: the session is stopped where the checkpoint was taken
 * (scribe_checkpoint_stop), and runs on from there as it did then.  The
 * checkpoint stays usable.  SCRIBE_OK or SCRIBE_E_*. */
SCRIBE_API int scribe_replay_restore(scribe_replay *r, const scribe_checkpoint *ck); /* API 3 */
/* Where the checkpoint was taken (its strings stay valid while it lives). */
SCRIBE_API int scribe_checkpoint_stop(const scribe_checkpoint *ck,
                                      struct scribe_stop *stop);            /* API 3 */
/* Kill its processes and free it (NULL: nothing).  Checkpoints left are
 * freed by scribe_replay_close. */
SCRIBE_API void scribe_checkpoint_free(scribe_checkpoint *ck);              /* API 3 */

/* ---- going live (issue 18) -------------------------------------------- */

/* At a stop, let the replayed program run on, live: scribe rebuilds in
 * every process the kernel state its calls were answered from (regular
 * files reopened by path with their recorded flags, offsets and dups;
 * the working directory), turns rdtsc and cpuid trapping and its syscall
 * buffer off, and detaches (TracerPid 0; a session replays with no
 * seccomp filter, so none is left).  A task stopped at a call makes that
 * call live.  The standard fds 0-2 are the ones the session's process
 * gave the program.  An fd that cannot be rebuilt (a pipe, a socket...)
 * fails the call with SCRIBE_E_STATE and its name in scribe_replay_error,
 * nothing changed; with SCRIBE_LIVE_FORCE it is left closed, and the
 * error message names it though the call succeeds.  *pid is the
 * program's first process, a child of this process: wait for it with
 * waitpid.  The session is over then: close it (the program runs on). */
#define SCRIBE_LIVE_FORCE 0x1                                         /* API 3 */
SCRIBE_API int scribe_replay_go_live(scribe_replay *r, uint32_t flags,
                                     int32_t *pid);                   /* API 3 */
/* ---- recording (API 3) ------------------------------------------------ */

/* A recording of a program, run by the library on threads of its own
 * until the program's first process ends.  The library installs no signal
 * handler of its own for it but the tracers' wake-up (docs/api.md,
 * "Signals"); what a signal sent to the caller should do to the program
 * is the caller's to decide (scribe_record_signal). */
typedef struct scribe_record scribe_record;                     /* API 3 */

#define SCRIBE_E_EXEC (-11)  /* the program cannot be run (not found: status
                                127 << 8; not executable: 126 << 8) (API 3) */

#define SCRIBE_RECORD_NO_BUFFER 0x1  /* no syscall buffer: every call traced */
#define SCRIBE_RECORD_STDIO     0x2  /* the program's fds 0-2 are stdio[],
                                        and it gets no other of ours */
#define SCRIBE_RECORD_TTY       0x4  /* it gets the terminal's foreground
                                        when the caller has it (a shell's
                                        job; the CLI) */
#define SCRIBE_RECORD_DIR_MADE  0x8  /* dir exists already (made empty by
                                        the caller); else it must not */
#define SCRIBE_RECORD_CHAOS     0x10 /* randomized scheduling, seeded by
                                        chaos_seed (`record --chaos`) */

struct scribe_record_opts {                                     /* API 3 */
	uint32_t size;           /* sizeof(struct scribe_record_opts) */
	uint32_t flags;          /* SCRIBE_RECORD_* */
	const char *dir;         /* the trace directory to create; NULL:
	                            $SCRIBE_DIR/PROG-N, as `scribe record`
	                            names it ($SCRIBE_DIR/latest then points
	                            at it once it is complete) */
	const char *const *env;  /* the program's environment; NULL: ours */
	const char *cwd;         /* its working directory; NULL: ours */
	const char *store;       /* the object store (scribe's is
	                            $SCRIBE_DIR/objects); NULL, or one that
	                            cannot be created: the trace keeps its
	                            own copies (a packed trace) */
	const char *preload;     /* libscribe-preload.so; NULL: found next to
	                            libscribe (or in ../lib/scribe/) */
	int stdio[3];            /* SCRIBE_RECORD_STDIO: its stdin, stdout,
	                            stderr (its output goes there; outputs to
	                            stdio[1] and [2] are what replay shows) */
	/* SCRIBE_RECORD_TTY: the program's first process stopped (Ctrl-Z):
	 * a shell's job should stop too (the CLI stops itself with sig).
	 * Called on a library thread.  NULL: nothing. */
	void (*job_stop)(void *ctx, int sig);
	void *ctx;
	uint64_t chaos_seed;     /* SCRIBE_RECORD_CHAOS: the seed (docs/
	                            design.md §18) */
};

/* Start recording argv (argv[0] looked up in PATH like execvp) into
 * opts->dir; returns once the program runs (scribe_record_dir says
 * where).  *out is set even on failure
 * when memory allows (read scribe_record_error, then close). */
SCRIBE_API int scribe_record_open(const char *const argv[],
                                  const struct scribe_record_opts *opts,
                                  scribe_record **out);                 /* API 3 */
/* Wait at most timeout_ms (< 0: forever) for the program's first process
 * to end.  SCRIBE_OK with *status its wait status (the trace is
 * complete); SCRIBE_E_AGAIN: still running; SCRIBE_E_TRUNCATED: it was
 * interrupted (the trace replays up to where it ends); SCRIBE_E_EXEC
 * (*status set, no trace left); SCRIBE_E_IO: the recording failed. */
SCRIBE_API int scribe_record_wait(scribe_record *rec, int timeout_ms, int *status); /* API 3 */
/* What Ctrl-C does: SIGINT to the program's process group; if the
 * program has not ended a second later, it is killed and the trace kept
 * up to there (wait then says SCRIBE_E_TRUNCATED).  Any thread. */
SCRIBE_API int scribe_record_interrupt(scribe_record *rec);       /* API 3 */
/* Pass a signal sent to the caller on to the program, as `scribe record`
 * does: SIGINT and SIGQUIT to its group, others to its first process;
 * SIGTERM, SIGINT and SIGHUP also end the recording a second later (at
 * once on a second one).  Async-signal-safe: for signal handlers. */
SCRIBE_API int scribe_record_signal(scribe_record *rec, int sig); /* API 3 */
/* The program's first process' pid, or SCRIBE_E_STATE. */
SCRIBE_API int scribe_record_pid(const scribe_record *rec);       /* API 3 */
/* End the recording if it runs (the program is killed) and free it. */
SCRIBE_API void scribe_record_close(scribe_record *rec);          /* API 3 */
SCRIBE_API const char *scribe_record_error(const scribe_record *rec); /* API 3 */
/* The trace directory (the one made when opts->dir was NULL). */
SCRIBE_API const char *scribe_record_dir(const scribe_record *rec); /* API 3 */

#ifdef __cplusplus
}
#endif

#endif
