/* record.h -- record a program into a trace directory. */
#ifndef SCRIBE_RECORD_H
#define SCRIBE_RECORD_H

#include <stdbool.h>

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
	bool chaos;             /* randomized scheduling (record_chaos.c) */
	uint64_t chaos_seed;
};

/* Record until the program's initial process exits.  Returns 0 and its
 * wait status, or -1 after err_set (trace write failure, internal error);
 * an exec failure of the program itself returns 0 with *status = 126/127
 * in *exec_errno's sense (see cmd_record.c). */
int record_run(const struct record_opts *o, int *status, int *exec_errno);

#endif
