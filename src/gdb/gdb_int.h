/* gdb_int.h -- the gdb server's state, shared by its files. */
#ifndef SCRIBE_GDB_INT_H
#define SCRIBE_GDB_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "gdb/gdb_packet.h"
#include "gdb/gdb_server.h"

#define GDB_MAXBP 256
#define GDB_MAXFD 16
#define GDB_MAXCKPT 64

/* monitor checkpoint: a position (gdb_timeline.c's struct pos, opaque
 * here) or where debugging started. */
struct gdb_ckpt {
	bool start;
	uint64_t pos[64];
};

struct gdb_bp {
	int z;                 /* Z packet type, 0-4 */
	uint64_t addr;
	uint32_t len;
};

struct gdb {
	scribe_replay *r;
	const struct gdb_server_opts *o;
	struct gdb_conn c;
	int32_t pid;           /* recorded pid followed */
	int32_t gtid;          /* Hg: the thread registers are read from */
	struct scribe_stop stop;
	bool over;             /* the replay is over (ended, diverged) */
	bool at_start;         /* where debugging started, nothing run since */
	int32_t stop_tid;      /* the thread of the last stop reply */
	bool mute;             /* the timeline runs: no program output */
	bool pending[GDB_MAXBP];       /* the timeline: bp[i] not set yet (its
	                                  library is not loaded yet) */
	uint64_t locator;              /* ... the position's breakpoint */
	bool loc_pending;
	struct gdb_ckpt ckpt[GDB_MAXCKPT];
	int nckpt;                     /* made so far (the last 64 kept) */
	bool quit;
	struct gdb_bp bp[GDB_MAXBP];   /* gdb's, as inserted now */
	int nbp;
	int fds[GDB_MAXFD];    /* vFile */
	struct gdb_copies *copies;     /* vFile: the trace's files (gdb_file.c) */
};

/* gdb_monitor.c: `monitor CMD` (qRcmd): output as O packets, then OK. */
void gdb_monitor(struct gdb *g, const char *cmd);
/* Console output to gdb (an O packet). */
void gdb_out(struct gdb *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* gdb_server.c: run until a stop (the reply to a resume); `step` a task
 * to single-step first (0: none), `until` a condition (NULL: none). */
void gdb_run(struct gdb *g, int32_t step, const struct scribe_until *until);
/* Is tid a live task of the followed process? */
bool gdb_alive(struct gdb *g, int32_t tid);
/* A live task of the followed process (gtid if it is one), or 0. */
int32_t gdb_task(struct gdb *g);
/* The stop reply for g->stop. */
void gdb_stop_reply(struct gdb *g);
/* gdb_timeline.c: bc and bs. */
void gdb_reverse_continue(struct gdb *g);
void gdb_reverse_step(struct gdb *g);
/* monitor checkpoint, monitor restart N */
void gdb_checkpoint(struct gdb *g);
void gdb_restart(struct gdb *g, int n);
/* monitor switch: follow process pid (gdb's breakpoints move to it). */
void gdb_follow(struct gdb *g, int32_t pid);
/* gdb_file.c: vFile packets. */
void gdb_vfile(struct gdb *g, const char *args);
void gdb_copies_free(struct gdb_copies *c);

#endif
