/* replay_int.h -- state shared by the replayer's files. */
#ifndef SCRIBE_REPLAY_INT_H
#define SCRIBE_REPLAY_INT_H

#include "core/tracee.h"
#include "replay/replay.h"
#include "trace/event.h"
#include "trace/trace.h"

/* What a task stopped at a syscall-exit stop is waiting for. */
enum rp_exit {
	RX_NONE = 0,
	RX_REEXEC,         /* re-executed call: check (or fix) the result */
	RX_ANSWER,         /* a harmless stand-in ran: put the recorded result
	                      in place so the kernel's restart rules apply */
	RX_MMAP,           /* re-executed mmap/mremap at the recorded address */
};

struct replayer {
	const struct replay_opts *opts;
	struct trc_header hdr;
	struct trc_reader *rd;
	struct event ev[2];            /* current and lookahead */
	uint64_t idx[2];
	int nev;                       /* how many of ev[] are decoded */
	enum trc_read_status end;      /* why no more events */
	struct tracees t;
	pid_t root;
	bool root_done;
	int root_status;
	bool warned_unsupported;
	char *files_dir;
};

/* Event access: peek(0) is the next event, peek(1) the one after; NULL at
 * the end of the stream (r->end says why). */
const struct event *rp_peek(struct replayer *r, int ahead);
uint64_t rp_index(struct replayer *r);
void rp_consume(struct replayer *r);

/* One-line divergence report, then kill everything and exit 125. */
_Noreturn void rp_diverge(struct replayer *r, struct task *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The trace ran out while the program went on. */
_Noreturn void rp_trace_ended(struct replayer *r, struct task *t, const char *what);
/* Describe an event in a few words for messages. */
void rp_describe(const struct event *ev, char *buf, size_t len);

/* Resume a task after its current event, first arranging any signal the
 * trace says comes next (a fatal one is sent right away). */
void rp_resume(struct replayer *r, struct task *t);

/* replay_syscall.c */
void rp_syscall_entry(struct replayer *r, struct task *t);
void rp_syscall_exit(struct replayer *r, struct task *t);

/* replay_signal.c */
void rp_signal_stop(struct replayer *r, struct task *t, int sig);
void rp_deliver_at_syscall(struct replayer *r, struct task *t, const struct event *ev);
/* Send the signal of event `ev` to the task; it is delivered with the
 * recorded siginfo at the task's next signal-delivery stop. */
void rp_send_signal(struct replayer *r, struct task *t, const struct event *ev);

/* replay_exec.c */
void rp_exec(struct replayer *r, struct task *t);

#endif
