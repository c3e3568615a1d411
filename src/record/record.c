/* record.c -- the recorder's lifecycle and event loop.
 *
 * One tracer thread, pinned to the CPU its tracees are pinned to (a ptrace
 * stop costs ~7 us on the same CPU and ~48 us across CPUs), waits for every
 * stop and hands it to the syscall, signal or exec handler.  Events go to
 * the trace writer, whose own thread compresses and writes them. */
#include "record/record_int.h"

#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/ptrace.h"
#include "core/sig.h"
#include "core/page.h"
#include "core/spawn.h"
#include "core/watch.h"

extern char **environ;

/* A tracer thread's fatal() does not exit (the recorder runs inside
 * libscribe too): it notes the message, stops the recording and jumps
 * back to where the thread's loop (or record_run) set fail_jmp. */
static __thread jmp_buf *fail_jmp;
static __thread struct recorder *fail_rec;

static void on_fatal(const char *msg)
{
	struct recorder *r = fail_rec;
	bool no = false;
	if (__atomic_compare_exchange_n(&r->fail_set, &no, true, false, __ATOMIC_ACQ_REL,
	                                __ATOMIC_ACQUIRE))
		snprintf(r->failed, sizeof(r->failed), "%s", msg);
	rec_interrupt(r, msg);      /* no more events; every thread kills its tasks */
	longjmp(*fail_jmp, 1);
}

static void fail_here(struct recorder *r, jmp_buf *jb)
{
	fail_rec = r;
	fail_jmp = jb;
	set_fatal_hook_thread(on_fatal);
	err_private_thread();
}

/* After a thread's fatal(): the others must not wait for its tasks. */
static void fail_end(struct recorder *r)
{
	workers_kill_all(&r->ws);
	workers_end(&r->ws);
}

void rec_emit(struct recorder *r, struct task *t, const struct event *ev)
{
	if (rec_interrupted(r))
		return;
	self->enc.len = 0;
	ev_encode(&self->enc, ev);
	uint64_t at = trc_stream_append(t->dom->stream, self->enc.p, self->enc.len);
	if (trc_writer_error(r->w))
		fatal("cannot write the trace to %s: %s; the recording was stopped",
		      r->opts->dir, strerror(trc_writer_error(r->w)));
	rec_bm_event(r, t, ev, at);
}

int rec_store_path(struct recorder *r, const char *path, const struct stat *known, bool exec,
                   uint64_t *hash)
{
	pthread_mutex_lock(&r->mu);
	int rc = files_store_path(r->files, path, known, exec, hash);
	pthread_mutex_unlock(&r->mu);
	return rc;
}

static struct proclog *proc_log(struct recorder *r, pid_t pid)
{
	for (int i = r->nprocs - 1; i >= 0; i--)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

void rec_proc_started(struct recorder *r, pid_t pid, pid_t ppid)
{
	pthread_mutex_lock(&r->mu);
	struct proclog *parent = proc_log(r, ppid);
	char *cmd = xstrdup(parent && parent->cmd ? parent->cmd : "?");
	r->procs = xrealloc(r->procs, (r->nprocs + 1) * sizeof(*r->procs));
	r->procs[r->nprocs++] = (struct proclog){ pid, ppid, cmd, 0, false };
	pthread_mutex_unlock(&r->mu);
}

void rec_proc_exec(struct recorder *r, pid_t pid, const struct ev_exec *x)
{
	struct buf b = {0};
	for (uint32_t i = 0; i < x->argc && b.len < 200; i++) {
		if (i)
			buf_u8(&b, ' ');
		buf_put(&b, x->argv[i].p, x->argv[i].len);
	}
	buf_u8(&b, 0);
	pthread_mutex_lock(&r->mu);
	struct proclog *p = proc_log(r, pid);
	if (p) {
		free(p->cmd);
		p->cmd = (char *)b.p;
	} else {
		free(b.p);
	}
	pthread_mutex_unlock(&r->mu);
}

void rec_proc_ended(struct recorder *r, pid_t pid, int status)
{
	pthread_mutex_lock(&r->mu);
	struct proclog *p = proc_log(r, pid);
	if (p) {
		p->status = status;
		p->ended = true;
	}
	pthread_mutex_unlock(&r->mu);
}

/* "PID PPID STATUS COMMAND" lines, NUL-separated, for the header. */
static void proc_tree(struct recorder *r, struct buf *out)
{
	for (int i = 0; i < r->nprocs; i++) {
		struct proclog *p = &r->procs[i];
		char st[32];
		if (!p->ended)
			snprintf(st, sizeof(st), "running");
		else if (WIFSIGNALED(p->status))
			snprintf(st, sizeof(st), "signal-%d", WTERMSIG(p->status));
		else
			snprintf(st, sizeof(st), "exit-%d", WEXITSTATUS(p->status));
		char *line = xasprintf("%d %d %s %s", p->pid, p->ppid, st, p->cmd);
		buf_put(out, line, strlen(line) + 1);
		free(line);
		free(p->cmd);
	}
	free(r->procs);
}

void rec_warn_once(struct recorder *r, const char *key, const char *fmt, ...)
{
	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; i < r->warned.len; i += strlen((char *)r->warned.p + i) + 1) {
		if (!strcmp((char *)r->warned.p + i, key)) {
			pthread_mutex_unlock(&r->mu);
			return;
		}
	}
	buf_put(&r->warned, key, strlen(key) + 1);
	pthread_mutex_unlock(&r->mu);
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/* The writer thread calls this when the disk fills up: stop the program
 * now rather than let it run on unrecorded. */
static void on_write_error(void *arg, int err)
{
	(void)err;
	struct recorder *r = arg;
	pid_t root = __atomic_load_n(&r->intr.root, __ATOMIC_ACQUIRE);
	if (root > 0)
		kill(root, SIGKILL);
}

/* The tick: the timer's signal, noted in the worker by the library's
 * SIGALRM handler (worker.c) even when it comes while the thread is not
 * in waitpid (a thread busy with one task's stops, polling with
 * syscalls: poll-yield).  When the handler is a caller's own (a library
 * installs its no-op one only when there is none), the clock instead,
 * read after an EINTR and every 16 stops (it is a system call in tracer
 * threads: util.c). */
#define TICK_NS (10 * 1000000ull)
static __thread uint64_t next_tick;
static __thread unsigned tick_count;

static bool tick_due(bool woken)
{
	if (worker_tick_fired(self))
		return true;
	if (!woken && ++tick_count % 16)
		return false;
	uint64_t now = mono_ns();
	if (now < next_tick)
		return false;
	next_tick = now + TICK_NS;
	return true;
}

static void fill_header(struct recorder *r, struct trc_header *h, const struct record_opts *o)
{
	memset(h, 0, sizeof(*h));
	h->version = TRC_VERSION;
	h->argv = o->argv;
	h->argc = o->argc;
	char **env = o->envp ? o->envp : environ;
	int n = 0;
	while (env[n])
		n++;
	h->env = env;
	h->envc = n;
	h->cwd = o->cwd ? realpath(o->cwd, NULL) : getcwd(NULL, 0);
	h->exe = (char *)o->exe;
	h->cpu = (char *)cpu_signature();
	uname(&r->uts);
	h->kernel = r->uts.release;
	h->host = r->uts.nodename;
	h->scribe_version = SCRIBE_VERSION;
	h->start_ns = now_ns();
	struct rlimit rl;
	getrlimit(RLIMIT_STACK, &rl);
	h->rlimit_stack[0] = rl.rlim_cur;
	h->rlimit_stack[1] = rl.rlim_max;
	/* The program inherits our ignored signals and our mask (the
	 * handlers come after it is spawned), and replay must give it the
	 * same, not whatever `scribe replay` inherits: a shell runs
	 * background jobs with SIGINT and SIGQUIT ignored, and a program
	 * asking for their disposition took another path. */
	h->sig_ignored = spawn_ignored_signals();
	h->sig_blocked = spawn_blocked_signals();
	h->has_signals = true;
}

static void kill_orphan(pid_t tid);

void rec_task_exited(struct recorder *r, struct task *t, int status)
{
	/* A call it died in (SIGKILL, a sibling's exit_group or exec) never
	 * returned and has no event: on replay the task dies before it gets
	 * there (rp_resume) or while parked. */
	t->in_syscall = false;
	rec_late_drop(t);
	struct event ev = { .type = EV_EXIT, .tid = t->rec_tid };
	ev.exit.status = status;
	/* A thread killed (with its creator, by a SIGKILL or an exit_group
	 * from outside) before the clone that made it returned: the trace
	 * never says it existed, and on replay the clone never runs (its
	 * caller dies at it). */
	if (!t->unannounced)
		rec_emit(r, t, &ev);
	if (t->tid == r->root) {
		r->root_done = true;
		r->root_status = status;
	}
	if (t->tid == t->proc->pid)
		rec_proc_ended(r, t->tid, status);
	rec_forget_task(r, t);
	/* Tasks it created in a clone it died in stopped before we knew. */
	for (int i = self->t.nearly - 1; i >= 0; i--)
		if (i < self->t.nearly)
			kill_orphan(self->t.early[i].tid);
	workers_task_died(&r->ws);
}

void rec_handle_stop(struct recorder *r, struct task *t, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	t->regs_fresh = false;
	if (t->late)
		rec_late_finish(r, t);
	if (!t->started) {
		/* The first stop of a new task: a PTRACE_EVENT_STOP from
		 * auto-attach (the initial process' first stop is its execve). */
		t->started = true;
		if (event == PTRACE_EVENT_STOP) {
			rec_cont(t, 0);
			return;
		}
	}
	if (t->preempting && event != PTRACE_EVENT_STOP) {
		/* It reached a syscall or a signal before our interrupt: that
		 * is a better switch point (a signal stop looks for a signature
		 * itself: rec_preempt_here).  The interrupt still traps once if
		 * it came while the task was stopped already; this stop took
		 * it if the task was running (the kernel clears a pending one
		 * at any trap). */
		t->preempting = false;
		t->stray_interrupt = true;
		t->slice_over = true;
	}
	if (event == PTRACE_EVENT_STOP) {
		if (t->preempting) {
			rec_preempt_stop(r, t);
			return;
		}
		if (t->stray_interrupt && sig == SIGTRAP) {
			/* (not a group-stop's: the flag may be stale, above) */
			t->stray_interrupt = false;
			rec_cont(t, 0);
			return;
		}
		/* Group-stop (SIGSTOP/SIGTSTP): stay stopped until SIGCONT. */
		if (sig_is_stop(sig)) {
			rec_group_stop(r, t);
			rec_job_stopped(r, t, sig);
			return;
		}
		rec_cont(t, 0);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (t->in_syscall)
			rec_syscall_exit(r, t);
		else
			rec_cont(t, 0);   /* exit stop of a call already emitted */
		return;
	}
	if (sig == SIGTRAP && event) {
		switch (event) {
		case PTRACE_EVENT_SECCOMP:
			t->after_syscall = false;
			if (t->stop_exact) {
				/* The stop signal let in at this call's entry never
				 * came: a SIGCONT sent meanwhile made the kernel drop
				 * it (record_jobctl.c). */
				t->stop_exact = false;
				t->injecting = false;
			}
			if (r->opts->chaos && rec_chaos_syscall(r, t, status))
				return;
			rec_syscall_entry(r, t);
			return;
		case PTRACE_EVENT_EXEC:
			rec_exec(r, t);
			return;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			rec_new_task(r, t, event);
			return;
		default:
			rec_cont(t, 0);
			return;
		}
	}
	rec_signal_stop(r, t, sig);
}

/* execve from a thread that is not the leader: the kernel kills every
 * other thread, the leader silently, and the exec'ing thread takes the
 * leader's tid (the stop is reported under that tid).  Returns true when
 * it handled the stop. */
static bool rec_exec_thread(struct recorder *r, struct task **tp, int status)
{
	struct task *leader = *tp;
	pid_t former = (pid_t)pt_geteventmsg(leader->tid);
	struct task *x = former != leader->tid ? task_find(&self->t, former) : NULL;
	if (!x)
		return false;
	x->tid = leader->tid;
	if (rec_take_domain(r, x, status))
		rec_handle_stop(r, x, status);
	/* After the exec's events: the old leader is gone. */
	rec_task_exited(r, leader, 0);
	return true;
}

/* A task handed to this thread by another: take it over and let it go;
 * or one of ours another thread gave the domain to: let it go. */
static void adopt(struct recorder *r, struct handoff *h)
{
	struct task *t = h->task;
	int h_status = h->status;
	t->regs = h->regs;
	if (h->kind == HANDOFF_RESUME) {
		rec_handle_stop(r, t, h->status);
		free(h);
		return;
	}
	tracees_link(&self->t, t);
	free(h);
	if (!page_attach(t->tid, &t->regs)) {
		/* Killed while changing threads: only SIGKILL can do that to a
		 * task parked in pause() with nothing to handle it. */
		rec_task_exited(r, t, SIGKILL);
		return;
	}
	pin_task(t->tid, self->cpu);
	if (rec_take_domain(r, t, h_status))
		rec_handle_stop(r, t, h_status);
}

/* A new task stopped at its first stop, before the event of the clone
 * that made it: is its creator still one of ours?  If the creator was
 * SIGKILLed in that clone, no event will ever claim the task (its clone
 * never returned, and on replay the creator dies at that call), so it
 * would stay stopped forever and the recording never end (kill-mix, one
 * run in 30 or so).  The trace has no place for it: it is killed, as its
 * creator was.  The creator is the thread group for a thread, the parent
 * for a process (init or a subreaper once the creator died). */
static void kill_orphan(pid_t tid)
{
	char buf[1024];
	proc_text(buf, sizeof(buf), "/proc/%d/status", (int)tid);
	const char *tg = strstr(buf, "\nTgid:"), *pp = strstr(buf, "\nPPid:");
	if (!tg || !pp)
		return;
	pid_t tgid = (pid_t)atoi(tg + 6), ppid = (pid_t)atoi(pp + 6);
	pid_t creator = tgid != tid ? tgid : ppid;
	if (creator == getpid())
		return;
	for (struct task *k = self->t.tasks; k; k = k->next)
		if (k->proc->pid == creator)
			return;
	int st;
	early_take(&self->t, tid, &st);
	kill(tid, SIGKILL);
}

void rec_dispatch(struct recorder *r, struct task *t, int status)
{
	t->user_running = false;
	if (rec_kicked_stop(r, t, status))
		return;
	if (WIFSTOPPED(status) && ((unsigned)status >> 16) == PTRACE_EVENT_EXEC &&
	    rec_exec_thread(r, &t, status))
		return;
	if (WIFEXITED(status) || WIFSIGNALED(status))
		rec_task_exited(r, t, status);
	else if (WIFSTOPPED(status) && rec_take_domain(r, t, status))
		rec_handle_stop(r, t, status);
}

/* The recorder a tracer thread works for (its worker is one of r->ws.w). */
static struct recorder *recorder_of(struct worker *w)
{
	return (struct recorder *)((char *)(w - w->id) - offsetof(struct recorder, ws.w));
}

static void *worker_loop(void *arg)
{
	(void)arg;
	struct recorder *r = recorder_of(self);
	jmp_buf jb;
	jmp_buf *outer = fail_jmp;
	if (setjmp(jb)) {
		fail_end(r);
		goto out;
	}
	fail_here(r, &jb);
	worker_start_tick(self, r->opts->chaos ? CHAOS_TICK_NS : TICK_NS);
	bool woken = true;
	while (!workers_done(&r->ws)) {
		rec_check_interrupt(r);
		if (tick_due(woken))
			rec_tick(r);
		woken = false;
		struct handoff *h;
		while ((h = worker_take(&r->ws, self)))
			adopt(r, h);
		int status;
		uint64_t me = 1ull << self->id;
		__atomic_and_fetch(&r->busy, ~me, __ATOMIC_RELAXED);
		pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD);
		if (tid >= 0)
			__atomic_or_fetch(&r->busy, me, __ATOMIC_RELAXED);
		if (tid < 0) {
			if (errno == EINTR) {
				woken = true;     /* the tick, handled above */
				continue;
			}
			if (errno == ECHILD) {
				/* No tracee anywhere for a second: a task was counted
				 * that never was (a bug); end rather than hang. */
				if (worker_idle(&r->ws, self) > 1000000000ull) {
					warn("internal error: %ld tasks were still counted when none "
					     "was left; the recording ends here", r->ws.live);
					workers_end(&r->ws);
				}
				continue;
			}
			fatal("waitpid: %s", strerror(errno));
		}
		__atomic_add_fetch(&r->nstops, 1, __ATOMIC_RELAXED);
		if (trc_writer_error(r->w))
			fatal("cannot write the trace to %s: %s; the recording was stopped",
			      r->opts->dir, strerror(trc_writer_error(r->w)));
		struct task *t = task_find(&self->t, tid);
		if (t) {
			rec_dispatch(r, t, status);
		} else if (WIFSTOPPED(status)) {
			/* A new child stopping before its parent's fork event. */
			early_add(&self->t, tid, status);
			kill_orphan(tid);
		}
	}
out:
	if (self->ticking)
		timer_delete(self->tick);
	self->ticking = false;
	fail_jmp = outer;
	return NULL;
}

struct recorder *record_new(void)
{
	return xcalloc(1, sizeof(struct recorder));
}

void record_free(struct recorder *r)
{
	free(r);
}

void record_signal(struct recorder *r, int sig)
{
	rec_signal(r, sig);
}

/* The program's first process, killed after a fatal() of ours: reap it
 * (no zombie left), a second at most. */
static void reap_root(struct recorder *r)
{
	for (int i = 0; i < 100 && r->root > 0; i++) {
		int st;
		pid_t p = waitpid(r->root, &st, __WALL | WNOHANG);
		if (p == r->root || (p < 0 && errno != EINTR))
			return;
		kill(r->root, SIGKILL);
		usleep(10000);
	}
}

/* What record_run does once the trace directory holds a header: spawn,
 * trace, wait for the end.  Sets *phase as it goes, for the cleanup of
 * a fatal() (record_run). */
static void record_trace(struct recorder *r, struct trc_header *h, int *exec_errno,
                         volatile int *phase)
{
	const struct record_opts *o = r->opts;
	workers_init(&r->ws, MAX_WORKERS);
	struct domain *d0 = domain_new(&self->t, 0);
	r->ndomains = 1;
	self->ndomains = 1;
	d0->stream = trc_stream_create(r->w, 0);
	struct spawn sp = { .path = o->exe, .argv = o->argv, .envp = o->envp ? o->envp : environ,
	                    .cpu = self->cpu, .take_tty = o->take_tty, .dir = o->cwd,
	                    .set_stdio = o->set_stdio };
	memcpy(sp.stdio, o->stdio, sizeof(sp.stdio));
	int errfd;
	pid_t pid = spawn_traced(&sp, &errfd);
	if (pid < 0)
		fatal("%s", err_get());
	r->root = pid;
	*phase = 1;
	worker_wake_handler(true);
	rec_signals_start(r, pid);
	if (o->started)
		o->started(o->started_ctx, r, pid);
	struct process *p = proc_new(&self->t, pid, pid);
	struct task *t0 = task_new(&self->t, p, pid, pid);
	task_set_domain(t0, d0);
	t0->started = true;
	r->ntasks_total = 1;
	rec_proc_started(r, pid, getpid());
	workers_task_born(&r->ws);

	workers_start(&r->ws, worker_loop);
	*phase = 2;
	rec_watch_start(r);
	*phase = 3;
	worker_loop(self);
	workers_join(&r->ws);
	*phase = 4;
	watch_stop(&r->watch);
	*phase = 5;
	if (o->take_tty)
		spawn_tty_back();

	int e = 0;
	if (read(errfd, &e, sizeof(e)) == sizeof(e))
		*exec_errno = e;
	close(errfd);
	rec_signals_end(r);
	(void)h;
}

int record_run(struct recorder *r, const struct record_opts *o, int *status, int *exec_errno,
               bool *interrupted, char *err, size_t errlen)
{
	r->opts = o;
	*exec_errno = 0;
	*interrupted = false;
	r->out_fd[0] = o->set_stdio ? o->stdio[1] : 1;
	r->out_fd[1] = o->set_stdio ? o->stdio[2] : 2;
	sched_getaffinity(0, sizeof(r->orig_affinity), &r->orig_affinity);
	rec_sb_outputs(r);
	/* The loader stub buffers ld.so's calls: SCRIBE_NO_LDSTUB=1 leaves
	 * them traced (for comparing; the library still buffers). */
	r->ldstub = o->buffer && !getenv("SCRIBE_NO_LDSTUB");

	r->w = trc_writer_create(o->dir);
	if (!r->w) {
		snprintf(err, errlen, "%s", err_get());
		return -1;
	}
	r->files = files_open(o->dir, o->store);
	if (!r->files) {
		snprintf(err, errlen, "%s", err_get());
		trc_writer_close(r->w, NULL, NULL, NULL, NULL);
		return -1;
	}
	struct trc_header h;
	fill_header(r, &h, o);
	r->hdr = &h;          /* HDR_FDS is added at the first exec */
	h.ldstub = r->ldstub;
	h.sbuf_rev = SB_REVISION;
	char *store = realpath(o->store, NULL);
	h.store = store ? store : (char *)o->store;
	h.packed = o->packed;
	h.chaos = o->chaos;
	h.chaos_seed = o->chaos_seed;
	r->chaos_rng = o->chaos_seed;
	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->sched_mu, NULL);
	pthread_mutex_init(&r->out_mu, NULL);
	trc_writer_on_error(r->w, on_write_error, r);

	volatile int phase = 0;
	jmp_buf jb;
	if (setjmp(jb)) {
		/* A fatal() of this thread, or of worker 0's loop: end the
		 * other threads, then report it as the recording's error. */
		fail_end(r);
		if (phase >= 2 && phase < 4)
			workers_join(&r->ws);
		if (phase >= 3 && phase < 5)
			watch_stop(&r->watch);
		if (o->take_tty)
			spawn_tty_back();
		rec_signals_end(r);
		rec_bm_stop(r);       /* the control socket goes with the recording */
		reap_root(r);
		goto out;
	}
	fail_here(r, &jb);
	if (trc_header_write(o->dir, &h) < 0)
		fatal("%s", err_get());
	if (rec_bm_start(r) < 0)
		fatal("%s", err_get());
	record_trace(r, &h, exec_errno, &phase);
	rec_bm_stop(r);         /* no bookmark after the last event */
	if (r->fail_set)
		reap_root(r);
out:
	set_fatal_hook_thread(NULL);
	fail_jmp = NULL;
	uint64_t events = 0, bytes = 0;
	int rc = trc_writer_close(r->w, &events, &bytes, &h.stream_events, &h.n_stream_events);
	if (rc < 0 || rec_interrupted(r)) {
		/* The header stays the one written first: an interrupted
		 * recording (rec_check_interrupt said why), or a failed one. */
		if (r->fail_set)
			snprintf(err, errlen, "%s", r->failed);
		else if (rc < 0)
			snprintf(err, errlen, "%s", err_get());
		else
			snprintf(err, errlen, "%s", r->intr.why);
		*interrupted = !r->fail_set && rc >= 0;
		files_close(r->files);
		free(store);
		free(h.cwd);
		free(h.stream_events);
		buf_free(&r->warned);
		for (int i = 0; i < r->nprocs; i++)
			free(r->procs[i].cmd);
		free(r->procs);
		return -1;
	}
	h.end_ns = now_ns();
	h.complete = true;
	h.status = r->root_status;
	h.events = events;
	h.bytes = bytes;
	h.nstreams = r->ndomains;
	h.ndomains = r->ndomains;
	h.ntasks = r->ntasks_total;
	h.warnings = (char *)r->warned.p;
	h.warnings_len = r->warned.len;
	struct buf tree = {0};
	proc_tree(r, &tree);
	h.tree = (char *)tree.p;
	h.tree_len = tree.len;
	h.fds = r->fds_text;
	h.fds_len = r->fds_len;
	rc = trc_header_write(o->dir, &h);
	if (rc < 0)
		snprintf(err, errlen, "%s", err_get());
	files_close(r->files);     /* the trace is complete: pack and gc may take it */
	free(store);
	free(h.cwd);
	free(h.stream_events);
	buf_free(&tree);
	buf_free(&r->warned);
	free(r->fds_text);
	r->fds_text = NULL;
	*status = r->root_status;
	return rc;
}
