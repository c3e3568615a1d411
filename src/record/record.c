/* record.c -- the recorder's lifecycle and event loop.
 *
 * One tracer thread, pinned to the CPU its tracees are pinned to (a ptrace
 * stop costs ~7 us on the same CPU and ~48 us across CPUs), waits for every
 * stop and hands it to the syscall, signal or exec handler.  Events go to
 * the trace writer, whose own thread compresses and writes them. */
#include "record/record_int.h"

#include <errno.h>
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

static struct recorder *active;
static volatile sig_atomic_t root_pid_for_signals;

void rec_emit(struct recorder *r, struct task *t, const struct event *ev)
{
	if (rec_interrupted())
		return;
	self->enc.len = 0;
	ev_encode(&self->enc, ev);
	trc_stream_append(t->dom->stream, self->enc.p, self->enc.len);
	if (trc_writer_error(r->w))
		fatal("cannot write the trace to %s: %s; the recording was stopped",
		      r->opts->dir, strerror(trc_writer_error(r->w)));
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

/* On any fatal error: no tracee may outlive us. */
static void kill_everything(void)
{
	if (active)
		workers_kill_all(&active->ws);
	spawn_tty_back();
}

/* The writer thread calls this when the disk fills up: stop the program
 * now rather than let it run on unrecorded. */
static void on_write_error(int err)
{
	pid_t root = root_pid_for_signals;
	if (root > 0)
		kill(root, SIGKILL);
}

/* The tick is noted, not only seen as waitpid's EINTR: a thread busy with
 * one task's stops (a thread polling with syscalls) is seldom in waitpid
 * when its timer fires, and its ticks were lost (poll-yield). */
static __thread volatile sig_atomic_t tick_due;

static void on_tick(int sig)
{
	(void)sig;
	tick_due = 1;
}

static void install_signal_handlers(void)
{
	struct sigaction sa = {0};
	/* The scheduler's tick and the wake-up between tracer threads: it
	 * interrupts waitpid (no SA_RESTART) so the thread can look for
	 * tasks to preempt and tasks handed to it. */
	sa.sa_handler = on_tick;
	sigaction(SIGALRM, &sa, NULL);
}

static void fill_header(struct trc_header *h, const struct record_opts *o)
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
	h->cwd = getcwd(NULL, 0);
	h->exe = (char *)o->exe;
	h->cpu = (char *)cpu_signature();
	static struct utsname u;
	uname(&u);
	h->kernel = u.release;
	h->host = u.nodename;
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

static void *worker_loop(void *arg)
{
	struct recorder *r = active;
	worker_start_tick(self, 10 * 1000000);
	while (!workers_done(&r->ws)) {
		rec_check_interrupt();
		if (tick_due) {
			tick_due = 0;
			rec_tick(r);
		}
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
			if (errno == EINTR)
				continue;         /* the tick, handled above */
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
	timer_delete(self->tick);
	return NULL;
}

int record_run(const struct record_opts *o, int *status, int *exec_errno)
{
	struct recorder rec = {0};
	struct recorder *r = &rec;
	r->opts = o;
	*exec_errno = 0;
	sched_getaffinity(0, sizeof(r->orig_affinity), &r->orig_affinity);
	rec_sb_outputs(r);
	/* The loader stub buffers ld.so's calls: SCRIBE_NO_LDSTUB=1 leaves
	 * them traced (for comparing; the library still buffers). */
	r->ldstub = o->buffer && !getenv("SCRIBE_NO_LDSTUB");

	r->w = trc_writer_create(o->dir);
	if (!r->w)
		return -1;
	r->files = files_open(o->dir, o->store);
	if (!r->files)
		return -1;
	struct trc_header h;
	fill_header(&h, o);
	h.ldstub = r->ldstub;
	h.sbuf_rev = SB_REVISION;
	char *store = realpath(o->store, NULL);
	h.store = store ? store : (char *)o->store;
	h.packed = o->packed;
	if (trc_header_write(o->dir, &h) < 0)
		return -1;
	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->sched_mu, NULL);
	pthread_mutex_init(&r->out_mu, NULL);
	trc_writer_on_error(r->w, on_write_error);

	workers_init(&r->ws, MAX_WORKERS);
	struct domain *d0 = domain_new(&self->t, 0);
	r->ndomains = 1;
	self->ndomains = 1;
	d0->stream = trc_stream_create(r->w, 0);
	struct spawn sp = { .path = o->exe, .argv = o->argv, .envp = o->envp ? o->envp : environ,
	                    .cpu = self->cpu, .take_tty = true };
	int errfd;
	pid_t pid = spawn_traced(&sp, &errfd);
	if (pid < 0)
		return -1;
	r->root = pid;
	root_pid_for_signals = pid;
	active = r;
	set_fatal_cleanup(kill_everything);
	install_signal_handlers();
	rec_signals_start(pid);
	struct process *p = proc_new(&self->t, pid, pid);
	struct task *t0 = task_new(&self->t, p, pid, pid);
	task_set_domain(t0, d0);
	t0->started = true;
	r->ntasks_total = 1;
	rec_proc_started(r, pid, getpid());
	workers_task_born(&r->ws);

	workers_start(&r->ws, worker_loop);
	rec_watch_start(r);
	worker_loop(self);
	workers_join(&r->ws);
	watch_stop(&r->watch);
	spawn_tty_back();

	int e = 0;
	if (read(errfd, &e, sizeof(e)) == sizeof(e))
		*exec_errno = e;
	close(errfd);
	root_pid_for_signals = 0;
	rec_signals_end();

	uint64_t events = 0, bytes = 0;
	int rc = trc_writer_close(r->w, &events, &bytes, &h.stream_events, &h.n_stream_events);
	active = NULL;
	set_fatal_cleanup(NULL);
	if (rc < 0) {
		files_close(r->files);
		free(store);
		return -1;
	}
	if (rec_interrupted()) {
		/* The header stays the one written first: an interrupted
		 * recording (rec_check_interrupt set the error). */
		files_close(r->files);
		free(store);
		free(h.cwd);
		free(h.stream_events);
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
	rc = trc_header_write(o->dir, &h);
	files_close(r->files);     /* the trace is complete: pack and gc may take it */
	free(store);
	free(h.cwd);
	free(h.stream_events);
	buf_free(&tree);
	buf_free(&r->warned);
	*status = r->root_status;
	return rc;
}
