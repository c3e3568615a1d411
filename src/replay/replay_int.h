/* replay_int.h -- state shared by the replayer's files. */
#ifndef SCRIBE_REPLAY_INT_H
#define SCRIBE_REPLAY_INT_H

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "core/files.h"
#include "core/tracee.h"
#include "core/watch.h"
#include "core/worker.h"
#include "syscalls/fdtab.h"
#include "replay/replay.h"
#include "replay/replay_ctl.h"
#include "trace/event.h"
#include "trace/trace.h"

/* What a task stopped at a syscall-exit stop is waiting for. */
enum rp_exit {
	RX_NONE = 0,
	RX_REEXEC,         /* re-executed call: check (or fix) the result */
	RX_ANSWER,         /* a harmless stand-in ran: put the recorded result
	                      in place so the kernel's restart rules apply */
	RX_MMAP,           /* re-executed mmap/mremap at the recorded address */
	RX_FORK,           /* re-executed fork/clone: recorded child id */
	RX_EXEC,           /* exec of the trace's image (exit stop = it failed) */
};

/* Shared by all tracer threads; each thread's own tasks and domains are
 * in self->t (worker.h). */
struct replayer {
	const struct replay_opts *opts;
	struct rp_ctl *ctl;            /* a libscribe session's, or NULL */
	int out_errno[3];              /* atomic: replay_syscall.c's emit_cb */
	int errfd;                     /* spawn_traced's */
	struct trc_header hdr;
	const char *dir;
	struct workers ws;
	struct watch watch;            /* the watchdog (replay_watch.c) */
	pid_t root;
	bool root_done;
	int root_status;
	bool warned_unsupported;
	struct files *files;        /* files_image, files_verify */
	uint64_t events;               /* atomic: consumed so far, all domains */
	uint64_t stops;                /* atomic: stops handled, all threads */
	pthread_mutex_t out_mu;
	uint64_t outseq;               /* next output to re-emit (out_mu) */
	int outwaiters;                /* tasks waiting for their turn (out_mu) */
	struct task *outwait[MAX_WORKERS]; /* per worker: those tasks */
	/* groups of domains sharing memory: the last released turn of each
	 * (EV_RELEASE), under out_mu */
	uint64_t *released;
	uint32_t ngroups;
	/* shared objects (SYSF_SHARED mappings): one scratch copy each */
	char *scratch;                 /* scratch.h: outside the trace */
	int scratch_fd;                /* its lock */
	bool *objmade;
	uint32_t nobjs;
	/* --stats: how long placing each signature took (out_mu) */
	uint64_t *place_ns;
	int nplace, nfixed, nsnap, npreempt, nasync;
	uint64_t snap_bytes;
	/* the recorded fd tables, fed with every event consumed
	 * (syscalls/fdtab.h); fds_on once fdtab_init ran */
	struct fdtab fds;
	/* go-live: every process forked (recorded and real pid), and whether
	 * the recording reaped it already (replay answered that wait) */
	struct rp_kid { uint32_t rec; pid_t real; bool reaped; } *kids;
	size_t nkids;
	bool fds_on;
	bool fds_stale;       /* a checkpoint was restored: the tables (not
	                         part of a checkpoint yet) are another time's */
};

/* Event access, per domain: peek(0) is the next event of the task's
 * domain, peek(1) the one after; NULL at the end of the stream. */
const struct event *rp_peek(struct replayer *r, struct task *t, int ahead);
uint64_t rp_index(struct replayer *r, struct task *t);
void rp_consume(struct replayer *r, struct task *t);

/* Is this stop a syscall's entry, its call not made: a seccomp stop, or
 * with no filter a PTRACE_SYSEMU entry stop? */
bool rp_entry_stop(pid_t tid, int status);
/* Going live (replay_golive.c): the fds that cannot be rebuilt, named in
 * msg (their count); and, in a frozen tracer thread, its tasks rebuilt
 * and let go (-1 with err): all of them when `last`, else those of
 * processes no child the recording reaped keeps waiting. */
int rp_golive_check(struct replayer *r, char *msg, size_t len);
void rp_golive_forked(struct replayer *r, uint32_t rec, pid_t real);
void rp_golive_waited(struct replayer *r, const struct ev_syscall *s);
int rp_golive_worker(struct replayer *r, bool last, char *err, size_t len);
/* Is a child the recording reaped still alive (go-live waits for it)? */
bool rp_golive_pending(struct replayer *r);
/* A stop at a call through the scribe page, with no filter: made, and
 * the task let go (replay_syscall.c).  False for any other stop. */
bool rp_page_call(struct task *t, int status);
/* One stop (or exit) that waitpid reported for this thread's task tid. */
void rp_on_wait(struct replayer *r, pid_t tid, int status);
/* Tracer threads wake each other with SIGALRM (worker_wake): it must
 * interrupt waitpid, not end the process.  A session (only_if_default)
 * sets it only if the program did not handle SIGALRM (docs/api.md). */
void rp_wake_handler(bool only_if_default);
/* A libscribe session's thread (replay_ctl.h). */
void *rp_session(void *arg);

/* A thread that fails a replay no task can move on any more (a damaged
 * trace can make every task wait for another): start, and join at the end. */
void rp_watch_start(struct replayer *r);
void rp_watch_stop(struct replayer *r);

/* One-line divergence report, then kill everything and exit 125. */
_Noreturn void rp_diverge(struct replayer *r, struct task *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The trace ran out while the program went on. */
_Noreturn void rp_trace_ended(struct replayer *r, struct task *t, const char *what);
/* Describe an event in a few words for messages. */
void rp_describe(const struct event *ev, char *buf, size_t len);

/* Resume a task after its current event (delivering `sig`), first
 * arranging what the trace says comes next: a fatal signal is sent right
 * away, a preemption or signal at a signature is located. */
void rp_resume_sig(struct replayer *r, struct task *t, int sig);
static inline void rp_resume(struct replayer *r, struct task *t) { rp_resume_sig(r, t, 0); }

/* Let the parked holder of d go into its next event: what rp_advance
 * does after a session's boundary (a restored checkpoint's). */
void rp_go_on(struct replayer *r, struct domain *d);

/* replay_locate.c */
void rp_locate(struct replayer *r, struct task *t, const struct event *ev, int sig);
/* The task gave up its domain for good (exit): let the stream move on. */
void rp_advance(struct replayer *r, struct domain *d);

/* replay_syscall.c */
void rp_syscall_entry(struct replayer *r, struct task *t);
void rp_syscall_exit(struct replayer *r, struct task *t);
/* Did writing the program's output fail?  Then err_set says how. */
bool rp_output_error(struct replayer *r);
/* Let a task of this thread go on whose output's turn has come. */
void rp_wake_output(struct replayer *r);

/* replay_signal.c */
void rp_signal_stop(struct replayer *r, struct task *t, int sig);
bool rp_drop_outside_signal(struct task *t, int status);
void rp_deliver_at_syscall(struct replayer *r, struct task *t, const struct event *ev);
/* Send the signal of event `ev` to the task; it is delivered with the
 * recorded siginfo at the task's next signal-delivery stop. */
void rp_send_signal(struct replayer *r, struct task *t, const struct event *ev);

/* Path (absolute) of the scratch copy every mapping of shared object `obj` uses; made from the stored file
 * `hash` the first time. */
void rp_entry_released(struct replayer *r, struct task *t);
char *rp_shared_object(struct replayer *r, uint32_t obj, uint64_t hash);
/* The recording resized shared object obj (ftruncate): so does its copy,
 * if a mapping made it already (a later first mapping takes the recorded
 * content, of the size it then had). */
void rp_shared_resize(struct replayer *r, uint32_t obj, uint64_t size);
/* The recording wrote len bytes into shared object obj's file at off (a
 * write, a pwrite): so does replay into its copy, if a mapping made it
 * already. */
void rp_shared_write(struct replayer *r, uint32_t obj, uint64_t off, const void *p, size_t len);
/* Check every grouped domain of this thread: its turn may have come. */
void rp_poll_groups(struct replayer *r);
void rp_remove_scratch(struct replayer *r);
void rp_group_join(struct replayer *r, struct domain *d, uint32_t group);
bool rp_group_turn(struct replayer *r, struct domain *d, uint64_t seq);
void rp_group_release(struct replayer *r, struct domain *d, uint64_t seq);

/* replay_buffer.c: the preload library's syscall buffer */
/* Put the task's next EV_BUF records into its slot (before it runs). */
void rp_sb_load(struct replayer *r, struct task *t);
/* At a stop: the task must have used all of them; empty the slot. */
void rp_sb_settle(struct replayer *r, struct task *t);
/* A snapshot restore skipped the slice that used them. */
void rp_sb_reapply(struct replayer *r, struct task *t);
void rp_sb_discard(struct task *t);
/* The library's call to scribe (SC_SCRIBE rows), matched with its event. */
void rp_sb_call(struct replayer *r, struct task *t, const struct event *ev);
/* The library found a difference (SB_SYS_DIVERGE): report it. */
_Noreturn void rp_sb_diverged(struct replayer *r, struct task *t);

/* Is ev a death by SIGKILL (of whichever task it names)?  Sent from
 * outside when recording: the killer's kill() is answered from the
 * trace on replay, so the replayer sends it itself. */
static inline bool rp_sigkill_death(const struct event *ev)
{
	return ev && ev->type == EV_EXIT && WIFSIGNALED(ev->exit.status) &&
	       WTERMSIG(ev->exit.status) == SIGKILL;
}

/* replay_exec.c */
void rp_exec(struct replayer *r, struct task *t);
/* execve from inside the program: exec the trace's image instead. */
char *rp_image(struct replayer *r, const struct ev_exec *x);
void rp_exec_call(struct replayer *r, struct task *t, const struct event *ev);

/* replay_layout.c: at the exec stop of an image the recording had at
 * random addresses (EXEC_LAYOUT_RANDOM), move every mapping there.  False
 * if the task died on the way (its death shows at its next wait). */
bool rp_relayout(struct replayer *r, struct task *t, const struct ev_exec *x);

/* replay_task.c */
void rp_fork_call(struct replayer *r, struct task *t);
void rp_fork_event(struct replayer *r, struct task *parent);
void rp_fork_exit(struct replayer *r, struct task *parent, struct user_regs_struct *regs);
void rp_first_stop(struct replayer *r, struct task *t);
/* Open the stream of domain `id` (a task's new domain). */
struct domain *rp_open_domain(struct replayer *r, uint32_t id);

#endif
