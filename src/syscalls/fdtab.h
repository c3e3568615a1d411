/* fdtab.h -- the recorded file-descriptor tables: one model of every
 * recorded process's fds, kept from the trace's syscall events (issue 17,
 * "inspection at a stop"; the groundwork of issue 18, go-live).
 *
 * THIS HEADER IS AN INTERFACE: go-live (branch golive) rebuilds kernel
 * state from these structs.  Members are only ever added, never renamed,
 * moved in meaning or removed.
 *
 * The model knows what the trace says: the fds the first process started
 * with (HDR_FDS, recorded at its exec), then every syscall event (traced
 * or buffered) that makes, changes, shares or closes an fd, every task
 * creation (fork copies the table, CLONE_FILES shares it), exec (closes
 * the FD_CLOEXEC fds) and exit.  Open file descriptions are objects of
 * their own, shared by dup, fork and SCM_RIGHTS, with an id that is equal
 * for every fd that refers to the same description.
 *
 * Tables are keyed by recorded tid (every task has one; the threads of a
 * process normally share theirs).  One mutex guards a model: replay's
 * tracer threads feed it concurrently; readers take it too. */
#ifndef SCRIBE_FDTAB_H
#define SCRIBE_FDTAB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

/* Kinds of open file description: the numbers are the public
 * SCRIBE_FD_* (include/scribe.h). */
enum fdt_type {
	FDT_UNKNOWN = 0,   /* the trace does not say (e.g. an fd the model
	                      never saw made): `name` may still say something */
	FDT_FILE,          /* regular file (or device, FIFO opened by path):
	                      path */
	FDT_DIR,           /* directory: path; offset = getdents position */
	FDT_PIPE,          /* pipe(2) end: pipe_id, end */
	FDT_SOCKET,        /* socket: family, socktype, addresses... */
	FDT_EVENTFD,       /* eventfd: count (when known), efd_flags */
	FDT_TIMERFD,       /* timerfd: clockid, timer settings */
	FDT_SIGNALFD,      /* signalfd: sigmask */
	FDT_EPOLL,         /* epoll: its registrations */
	FDT_MEMFD,         /* memfd_create: name (path "memfd:NAME") */
	FDT_INOTIFY,       /* inotify: its watches */
	FDT_PIDFD,         /* pidfd_open / CLONE_PIDFD: the pid */
	FDT_OTHER,         /* known to exist, not one of these: `path` names it
	                      (e.g. "anon_inode:[io_uring]", "fanotify") */
	FDT_NTYPES
};

/* One epoll registration (EPOLL_CTL_ADD / MOD). */
struct fdt_epoll_reg {
	int fd;                    /* the fd number registered */
	uint64_t desc;             /* the description it named then (0: unknown) */
	uint32_t events;
	uint64_t data;
};

/* One inotify watch. */
struct fdt_watch {
	int wd;
	uint32_t mask;
	char *path;
};

/* An open file description. */
struct fdt_desc {
	uint64_t id;               /* unique in the model, never reused, > 0 */
	int refs;                  /* fds (in all tables) referring to it */
	enum fdt_type type;
	int flags;                 /* status flags: O_ACCMODE | O_APPEND |
	                              O_NONBLOCK | O_DIRECT ... (F_GETFL) */
	int64_t offset;            /* file position (FILE, DIR, MEMFD) */
	bool offset_known;         /* false: e.g. after a write with O_APPEND
	                              whose result alone cannot say where the
	                              end of the file was (then `at_end`) */
	bool at_end;               /* last moved by an O_APPEND write: the
	                              position is the file's end at that time */
	char *path;                /* FILE, DIR: the path as opened, made
	                              absolute when the trace allows (cwd, dirfd);
	                              MEMFD "memfd:NAME"; OTHER: what it is;
	                              inherited fds: what readlink said */
	bool deleted;              /* the path was unlinked while open */
	/* PIPE, and SOCKET from socketpair: the two ends share pipe_id;
	 * `end` is 0 for the read end / first socket, 1 for the other. */
	uint64_t pipe_id;
	int end;
	uint64_t peer_desc;        /* socketpair/pipe: the other end's id (0:
	                              closed everywhere or unknown) */
	/* SOCKET */
	int family, socktype, protocol;   /* socket(2) arguments (socktype
	                                     without SOCK_NONBLOCK/CLOEXEC) */
	struct sockaddr_storage local, peer;
	socklen_t local_len, peer_len;    /* 0: not known */
	bool listening;
	int backlog;               /* listen(2)'s argument, -1 unknown */
	bool connected;            /* connect succeeded, or accepted */
	bool shut_rd, shut_wr;     /* shutdown(2) */
	/* EVENTFD */
	uint64_t count;            /* counter: initval + writes - reads */
	bool count_known;
	int efd_flags;             /* EFD_SEMAPHORE (and the creation flags) */
	/* TIMERFD */
	int clockid;
	int tfd_settime_flags;     /* TFD_TIMER_ABSTIME ... of the last settime */
	struct timespec it_value, it_interval;  /* as last set */
	/* SIGNALFD */
	uint64_t sigmask;          /* bit N-1: signal N */
	/* EPOLL */
	struct fdt_epoll_reg *regs;
	size_t nregs;
	/* INOTIFY */
	struct fdt_watch *watches;
	size_t nwatches;
	/* PIDFD */
	int pid;
};

/* One fd of a table. */
struct fdt_fd {
	int fd;
	int fdflags;               /* FD_CLOEXEC */
	struct fdt_desc *desc;
};

/* A table (CLONE_FILES shares one between tasks). */
struct fdt_table {
	int users;                 /* tasks using it */
	struct fdt_fd *fds;        /* sorted by fd */
	size_t n, cap;
};

/* What the model needs of one syscall: filled from a traced event or a
 * buffered record alike (fdtab_call). */
struct fdt_region {
	uint64_t addr;
	const void *p;
	size_t len;
};
struct fdt_call {
	int nr;
	uint64_t args[6];
	int64_t ret;
	bool returned;             /* false: no result (it never returned) */
	const char *strings[2];    /* path arguments, in argument order
	                              (NUL-terminated copies), or NULL */
	size_t nstrings;
	const struct fdt_region *regions;   /* memory the kernel wrote */
	size_t nregions;
	/* Memory the program handed to the kernel, where the model needs it
	 * and the event keeps it (bind/connect addresses, epoll_event,
	 * itimerspec, sigset): NULL or a lookup. */
	const void *(*in)(void *ctx, uint64_t addr, size_t len);
	void *in_ctx;
};

/* A model. */
struct fdtab {
	pthread_mutex_t mu;
	uint64_t next_id, next_pipe;
	struct fdt_task *tasks;    /* recorded tid -> table (fdtab.c) */
	size_t ntasks, cap;
	char *cwd;                 /* the recording's start cwd (paths) */
	/* HDR_FDS, given to the first task fdtab_event sees (not owned) */
	const char *start_fds;
	size_t start_len;
	bool started;
};

void fdtab_init(struct fdtab *m, const char *cwd);
void fdtab_destroy(struct fdtab *m);

/* The first process's table at its first exec (HDR_FDS's text, see
 * fdtab_parse_inherited); safe to call with NULL/0 for an old trace. */
void fdtab_inherit(struct fdtab *m, int tid, const char *text, size_t len);
/* Task `child` was created by `parent` with these clone flags (fork:
 * a copy; CLONE_FILES: the same table). */
void fdtab_task(struct fdtab *m, int parent, int child, uint64_t clone_flags);
/* Task `tid` exec'd: FD_CLOEXEC fds close, and its table is its own. */
void fdtab_exec(struct fdtab *m, int tid);
/* Task `tid` is gone. */
void fdtab_exit(struct fdtab *m, int tid);
/* One syscall that task `tid` made. */
void fdtab_call(struct fdtab *m, int tid, const struct fdt_call *c);
/* One decoded trace event (trace/event.h), in an order that respects the
 * trace's (replay's consumption order): all of the above from it.  The
 * first one also gives the first task m->start_fds (HDR_FDS). */
struct event;
void fdtab_event(struct fdtab *m, const struct event *ev);

/* The table of task `tid` (NULL if the model has none).  Valid while the
 * model is not fed: take m->mu around the use when it may be. */
const struct fdt_table *fdtab_get(struct fdtab *m, int tid);
/* The kind's lower-case name ("file", "pipe", ...). */
const char *fdtab_type_name(enum fdt_type t);
/* A description's one-line text: the path, "pipe:[ID]", a socket's
 * "tcp 127.0.0.1:4000 -> 127.0.0.1:5000" ... into buf. */
void fdtab_describe(const struct fdt_desc *d, char *buf, size_t len);
/* A socket address as text ("127.0.0.1:80", "[::1]:80", "/path",
 * "@abstract"); "" when len is 0. */
void fdtab_addr_text(const struct sockaddr_storage *a, socklen_t len, char *buf, size_t n);

/* Recording: the text HDR_FDS keeps for the fds of process pid now,
 * one line each, "FD FDFLAGS FLAGS POS TYPE SAME TARGET\n": numbers in
 * decimal (FLAGS as fdinfo's octal value, converted), TYPE a
 * fdtab_type_name, SAME the lowest fd of the line's process that refers
 * to the same description (kcmp), TARGET readlink's text to the end of
 * the line; from /proc/PID/fd and fdinfo.  malloc'd, *len set; NULL if
 * /proc could not be read. */
char *fdtab_read_proc(int pid, size_t *len);

#endif
