/* record.h -- record a program into a trace directory. */
#ifndef SCRIBE_RECORD_H
#define SCRIBE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct recorder;

struct record_opts {
	const char *dir;        /* trace directory to create */
	const char *exe;        /* resolved program path */
	char **argv;            /* program argv (argv[0] as the user typed it) */
	int argc;
	bool verbose;
	bool buffer;            /* the preload library buffers syscalls */
	const char *store;      /* the object store ($SCRIBE_DIR/objects) */
	bool packed;            /* store is the trace's own objects/ */
	char **envp;            /* the program's environment (default: ours) */
	const char *cwd;        /* its working directory (default: ours) */
	bool set_stdio;         /* its fds 0-2 are stdio[] (dup2'd) */
	int stdio[3];
	bool take_tty;          /* the terminal's foreground to the program */
	/* The program's first process entered a group-stop of signal sig
	 * while it has the terminal (take_tty): a shell's job stopped.  The
	 * caller stops the same way (the CLI: record_interrupt.c).  On a
	 * tracer thread. */
	void (*job_stop)(void *ctx, int sig);
	void *job_ctx;
	/* Called on the recording's thread once the program is spawned,
	 * with the recorder (for record_signal) and its pid. */
	void (*started)(void *ctx, struct recorder *r, pid_t pid);
	void *started_ctx;
	bool chaos;             /* randomized scheduling (record_chaos.c) */
	uint64_t chaos_seed;
};

struct recorder;

/* Record until the program's initial process exits.  Returns 0 and its
 * wait status, or -1 with the reason in err (trace write failure,
 * internal error, interrupted: *interrupted set); an exec failure of the
 * program itself returns 0 with *exec_errno set.  Never exits: a tracer
 * thread's fatal() ends the recording and is its error. */
struct recorder *record_new(void);
void record_free(struct recorder *r);
int record_run(struct recorder *r, const struct record_opts *o, int *status, int *exec_errno, bool *interrupted,
               char *err, size_t errlen);
/* A signal sent to the caller, passed on to the program as
 * record_interrupt.c says.  Async-signal-safe. */
void record_signal(struct recorder *r, int sig);

#endif
