/* replay.c -- the replayer's lifecycle, event stream and loop.
 *
 * Replay runs the recorded program again, from the trace's own copy of its
 * binary, and answers every system call from the trace: the call is skipped
 * and its recorded result and out-memory are written into the task.  Only
 * calls that shape the address space or per-task kernel state run for real
 * (replay_syscall.c).  Each stop is checked against the next recorded
 * event; the first difference ends the replay with one line saying where. */
#include "replay/replay_int.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/ptrace.h"
#include "core/sig.h"
#include "core/spawn.h"
#include "syscalls/decode.h"
#include "syscalls/table.h"

static struct replayer *active;

static void kill_everything(void)
{
	if (active)
		tracees_kill_all(&active->t);
}

/* ---- the event stream ------------------------------------------------- */

static bool fill(struct replayer *r)
{
	if (r->end)
		return false;
	const uint8_t *p;
	size_t len;
	uint64_t idx;
	enum trc_read_status st = trc_reader_next(r->rd, &p, &len, &idx);
	if (st != TRC_OK) {
		r->end = st;
		if (st == TRC_CORRUPT)
			fatal("%s", err_get());
		return false;
	}
	if (ev_decode(p, len, &r->ev[r->nev]) < 0)
		fatal("event %llu: %s", (unsigned long long)idx, err_get());
	r->idx[r->nev++] = idx;
	return true;
}

const struct event *rp_peek(struct replayer *r, int ahead)
{
	while (r->nev <= ahead)
		if (!fill(r))
			return NULL;
	return &r->ev[ahead];
}

uint64_t rp_index(struct replayer *r)
{
	return r->nev ? r->idx[0] : trc_reader_position(r->rd);
}

void rp_consume(struct replayer *r)
{
	ASSERT(r->nev > 0);
	ev_clear(&r->ev[0]);
	if (r->nev == 2) {
		r->ev[0] = r->ev[1];
		r->idx[0] = r->idx[1];
		memset(&r->ev[1], 0, sizeof(r->ev[1]));
	}
	r->nev--;
}

/* ---- errors ----------------------------------------------------------- */

void rp_describe(const struct event *ev, char *buf, size_t len)
{
	if (!ev) {
		snprintf(buf, len, "the end of the trace");
		return;
	}
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	ev_print(f, ev);
	fclose(f);
	if (strlen(text) > 160)
		strcpy(text + 150, "...");
	snprintf(buf, len, "%s", text);
	free(text);
}

void rp_diverge(struct replayer *r, struct task *t, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fatal("replay diverged at event %llu (tid %u): %s", (unsigned long long)rp_index(r),
	      t ? t->rec_tid : 0, msg);
}

void rp_trace_ended(struct replayer *r, struct task *t, const char *what)
{
	if (r->end == TRC_TRUNCATED || !r->hdr.complete)
		fatal("trace ends early at event %llu: the recording was interrupted",
		      (unsigned long long)rp_index(r));
	rp_diverge(r, t, "the trace has ended, but the program went on (%s)", what);
}

/* ---- resuming tasks ---------------------------------------------------- */

void rp_resume(struct replayer *r, struct task *t)
{
	const struct event *next = rp_peek(r, 0);
	if (next && next->tid == t->rec_tid && !t->injecting) {
		/* An asynchronous death: at record the task died somewhere in
		 * user space before its next syscall.  Nothing it does before
		 * then is observable, so it may die now, which also ends tasks
		 * that would spin forever without a syscall. */
		if (next->type == EV_SIGNAL && next->sig.kind == SIGK_FATAL)
			rp_send_signal(r, t, next);
		else if (next->type == EV_EXIT && WIFSIGNALED(next->exit.status) &&
		         WTERMSIG(next->exit.status) == SIGKILL)
			kill(t->tid, SIGKILL);
	}
	pt_cont(t->tid, 0);
}

/* ---- the loop ---------------------------------------------------------- */

static void on_exit_status(struct replayer *r, struct task *t, int status)
{
	if (!t->proc->execed) {
		/* The child could not exec the trace's copy of the program. */
		fatal("cannot execute the trace's copy of the program in %s "
		      "(is it on a noexec mount?)", r->files_dir);
	}
	const struct event *ev = rp_peek(r, 0);
	if (!ev)
		rp_trace_ended(r, t, "the task exited");
	if (ev->type != EV_EXIT || ev->tid != t->rec_tid) {
		char want[256];
		rp_describe(ev, want, sizeof(want));
		rp_diverge(r, t, "expected %s, got the task's %s", want,
		           WIFSIGNALED(status) ? "death by signal" : "exit");
	}
	if (ev->exit.status != status) {
		char want[64], got[64];
		struct event a = *ev, b = *ev;
		b.exit.status = status;
		rp_describe(&a, want, sizeof(want));
		rp_describe(&b, got, sizeof(got));
		rp_diverge(r, t, "expected %s, got %s", want, got);
	}
	rp_consume(r);
	if (t->tid == r->root) {
		r->root_done = true;
		r->root_status = status;
	}
	task_free(&r->t, t);
}

static void on_stop(struct replayer *r, struct task *t, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
	if (sig == (SIGTRAP | 0x80)) {
		rp_syscall_exit(r, t);
		return;
	}
	if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
		rp_syscall_entry(r, t);
		return;
	}
	if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
		rp_exec(r, t);
		return;
	}
	if (sig == SIGTRAP && event) {
		pt_cont(t->tid, 0);
		return;
	}
	if (event == PTRACE_EVENT_STOP) {
		pt_cont(t->tid, 0);
		return;
	}
	rp_signal_stop(r, t, sig);
}

static void loop(struct replayer *r)
{
	while (r->t.ntasks > 0) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			fatal("waitpid: %s", strerror(errno));
		}
		struct task *t = task_find(&r->t, tid);
		if (!t)
			continue;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			on_exit_status(r, t, status);
		else if (WIFSTOPPED(status))
			on_stop(r, t, status);
	}
}

/* Build a NULL-terminated vector of C strings from recorded bytes. */
static char **strvec(const struct ev_bytes *v, uint32_t n)
{
	char **out = xcalloc(n + 1, sizeof(char *));
	for (uint32_t i = 0; i < n; i++) {
		out[i] = xmalloc(v[i].len + 1);
		memcpy(out[i], v[i].p, v[i].len);
		out[i][v[i].len] = 0;
	}
	return out;
}

static void free_strvec(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static void on_interrupt(int sig)
{
	/* Ctrl-C or a kill on replay: take the program down with us. */
	kill_everything();
	signal(sig, SIG_DFL);
	raise(sig);
}

int replay_run(const struct replay_opts *o, int *status)
{
	struct replayer rep = {0};
	struct replayer *r = &rep;
	r->opts = o;
	if (trc_header_read(o->dir, &r->hdr) < 0) {
		err_print();
		return -1;
	}
	if (r->hdr.cpu && strcmp(r->hdr.cpu, cpu_signature()) != 0)
		warn("this trace was recorded on a different CPU (recorded: %s; here: %s); "
		     "programs that choose code paths by cpuid may diverge", r->hdr.cpu,
		     cpu_signature());
	r->rd = trc_reader_open(o->dir, 0, true);
	if (!r->rd) {
		err_print();
		return -1;
	}
	active = r;
	set_fatal_cleanup(kill_everything);
	const struct event *first = rp_peek(r, 0);
	if (!first) {
		if (r->end == TRC_END && r->hdr.complete)
			fatal("the trace has no events (corrupt trace)");
		fatal("trace ends early at event 0: the recording was interrupted");
	}
	if (first->type != EV_EXEC)
		fatal("the trace does not start with the program's exec (corrupt trace)");

	r->files_dir = xasprintf("%s/files", o->dir);
	char *image = xasprintf("./%.*s", (int)first->exec.image.len, first->exec.image.p);
	char **argv = strvec(first->exec.argv, first->exec.argc);
	char **envp = strvec(first->exec.envp, first->exec.envc);
	struct rlimit stack = { r->hdr.rlimit_stack[0], r->hdr.rlimit_stack[1] };
	int cpu = spawn_pick_cpu();
	spawn_pin_self(cpu);
	struct spawn sp = { .path = image, .argv = argv, .envp = envp, .cpu = cpu,
	                    .stack = r->hdr.rlimit_stack[0] ? &stack : NULL,
	                    .no_core = true, .dir = r->files_dir };
	struct sigaction sa = {0};
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_DFL);
	int errfd;
	pid_t pid = spawn_traced(&sp, &errfd);
	free(image);
	free_strvec(argv);
	free_strvec(envp);
	if (pid < 0)
		fatal("%s", err_get());
	r->root = pid;
	struct process *p = proc_new(&r->t, pid, first->tid);
	task_new(&r->t, p, pid, first->tid);

	loop(r);

	const struct event *left = rp_peek(r, 0);
	if (left) {
		char what[256];
		rp_describe(left, what, sizeof(what));
		rp_diverge(r, NULL, "the program ended, but the trace goes on with %s", what);
	}
	if (r->end == TRC_TRUNCATED)
		fatal("trace ends early at event %llu: the recording was interrupted",
		      (unsigned long long)rp_index(r));
	close(errfd);
	active = NULL;
	set_fatal_cleanup(NULL);
	trc_reader_close(r->rd);
	trc_header_free(&r->hdr);
	free(r->files_dir);
	*status = r->root_status;
	return 0;
}
