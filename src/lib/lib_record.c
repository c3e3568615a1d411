/* lib_record.c -- libscribe's recording sessions (scribe_record_*): the
 * recorder (src/record/) run on a thread of the session's own.
 *
 * The session thread is the recorder's worker 0: it spawns the program
 * (so it traces it) and runs until the program's first process ends.
 * Everything process-wide a recording needs is the caller's: its signal
 * handlers (scribe_record_signal is what they call), the terminal
 * (SCRIBE_RECORD_TTY, and job_stop to stop like the program did). */
#include "lib/lib_int.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/spawn.h"
#include "core/store.h"
#include "core/tracedir.h"
#include "core/util.h"
#include "record/record.h"

extern char **environ;

struct scribe_record {
	struct recorder *rec;          /* owned; scribe_record_signal's */
	struct record_opts ro;
	char *dir, *exe, *store;
	bool named;                    /* dir is $SCRIBE_DIR/PROG-N */
	char **argv, **envp;
	bool thread_live, joined;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started, done;            /* under mu */
	pid_t pid;
	int rc, status, exec_errno;
	bool interrupted;
	char runerr[LIB_ERRLEN];       /* record_run's message */
	char err[LIB_ERRLEN];
};

/* The syscall buffer library next to the code that runs this (a build
 * tree: build/libscribe.so and build/libscribe-preload.so), or in
 * ../lib/scribe/ of it (an installation).  NULL if none. */
static char *find_preload(void)
{
	Dl_info di;
	if (!dladdr((void *)find_preload, &di) || !di.dli_fname)
		return NULL;
	char *self = realpath(di.dli_fname, NULL);
	if (!self)
		return NULL;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	static const char *const rel[] = { "", "/..", "/../lib/scribe", "/scribe" };
	for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
		char *p = xasprintf("%s%s/libscribe-preload.so", self, rel[i]);
		char *real = realpath(p, NULL);
		free(p);
		/* LD_PRELOAD splits at spaces and colons */
		if (real && !strpbrk(real, " :")) {
			free(self);
			return real;
		}
		free(real);
	}
	free(self);
	return NULL;
}

/* env (or ours) with `lib` first in LD_PRELOAD; NULL lib: a copy. */
static char **make_env(const char *const *env, const char *lib)
{
	const char *const *e = env ? env : (const char *const *)environ;
	size_t n = 0;
	const char *old = NULL;
	for (; e[n]; n++)
		if (!strncmp(e[n], "LD_PRELOAD=", 11))
			old = e[n] + 11;
	char **out = xcalloc(n + 2, sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!lib || strncmp(e[i], "LD_PRELOAD=", 11))
			out[k++] = xstrdup(e[i]);
	if (lib)
		out[k++] = old && *old ? xasprintf("LD_PRELOAD=%s:%s", lib, old)
		                       : xasprintf("LD_PRELOAD=%s", lib);
	return out;
}

static void free_vec(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Only what the recorder created, after the program could not be run. */
static void remove_trace(const char *dir)
{
	char *p;
	p = xasprintf("%s/events.0", dir); unlink(p); free(p);
	p = xasprintf("%s/header", dir); unlink(p); free(p);
	p = xasprintf("%s/%s", dir, STORE_LIST); unlink(p); free(p);
	p = xasprintf("%s/%s", dir, STORE_PACKED);
	static const char *const own[] = { ".lock", ".traces", ".verified" };
	for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
		char *q = xasprintf("%s/%s", p, own[i]);
		unlink(q);
		free(q);
	}
	rmdir(p);
	free(p);
	rmdir(dir);
}

static void on_started(void *ctx, struct recorder *r, pid_t pid)
{
	(void)r;
	scribe_record *h = ctx;
	/* The caller's signals are for the caller's threads (the CLI's
	 * handlers then run on its main thread, not in a tracer's waitpid);
	 * SIGALRM, the tracers' wake-up, stays open.  Only now: the program
	 * was spawned with the caller's mask (the header's).  And SIGCHLD
	 * (with SIGURG and SIGWINCH) stays open too: ignored by default, it
	 * is dropped when sent only if the thread it is sent to does not
	 * block it -- every tracee stop sends one to its tracer, and queued
	 * it woke the caller's thread each time (+40% time per traced call). */
	sigset_t set;
	sigfillset(&set);
	sigdelset(&set, SIGALRM);
	sigdelset(&set, SIGCHLD);
	sigdelset(&set, SIGURG);
	sigdelset(&set, SIGWINCH);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	pthread_mutex_lock(&h->mu);
	h->started = true;
	h->pid = pid;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void *session(void *arg)
{
	scribe_record *h = arg;
	err_private_thread();
	int status = 0, exec_errno = 0;
	bool intr = false;
	int rc = record_run(h->rec, &h->ro, &status, &exec_errno, &intr, h->runerr,
	                    sizeof(h->runerr));
	pthread_mutex_lock(&h->mu);
	h->rc = rc;
	h->status = status;
	h->exec_errno = exec_errno;
	h->interrupted = intr;
	h->done = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* Fill h->ro from the caller's options; SCRIBE_OK or a failure. */
static int setup(scribe_record *h, const char *const argv[], const struct scribe_record_opts *o)
{
	if (!o || o->size < offsetof(struct scribe_record_opts, ctx) + sizeof(void *))
		return lib_fail(h->err, SCRIBE_E_ARG, "struct scribe_record_opts: size not set");
	if (o->dir && !*o->dir)
		return lib_fail(h->err, SCRIBE_E_ARG, "empty trace directory name");
	if (!argv || !argv[0])
		return lib_fail(h->err, SCRIBE_E_ARG, "no program given");
	for (int i = 0; (o->flags & SCRIBE_RECORD_STDIO) && i < 3; i++)
		if (o->stdio[i] < 0 || o->stdio[i] > 65535 || fcntl(o->stdio[i], F_GETFD) < 0)
			return lib_fail(h->err, SCRIBE_E_ARG, "stdio[%d]: %d is not an open fd", i,
			                o->stdio[i]);
	int st;
	h->exe = spawn_resolve(argv[0], &st);
	if (!h->exe) {
		h->status = st << 8;
		return lib_fail(h->err, SCRIBE_E_EXEC, "%s", err_get());
	}
	size_t argc = 0;
	while (argv[argc])
		argc++;
	h->argv = xcalloc(argc + 1, sizeof(char *));
	for (size_t i = 0; i < argc; i++)
		h->argv[i] = xstrdup(argv[i]);
	char *lib = NULL;
	if (!(o->flags & SCRIBE_RECORD_NO_BUFFER)) {
		lib = o->preload ? realpath(o->preload, NULL) : find_preload();
		if (!lib)
			return lib_fail(h->err, SCRIBE_E_ARG,
			                "libscribe-preload.so not found%s%s (give its path, or record "
			                "with SCRIBE_RECORD_NO_BUFFER)", o->preload ? ": " : "",
			                o->preload ? o->preload : " next to libscribe");
	}
	h->envp = make_env(o->env, lib);
	free(lib);
	if (!o->dir) {
		/* $SCRIBE_DIR/PROG-N, as `scribe record` names it */
		h->named = true;
		if (!(h->dir = trace_new_dir(argv[0])))
			return lib_fail(h->err, SCRIBE_E_IO, "%s", err_get());
	} else {
		h->dir = xstrdup(o->dir);
		if (!(o->flags & SCRIBE_RECORD_DIR_MADE) && mkdir(h->dir, 0700) < 0)
			return lib_fail(h->err, SCRIBE_E_IO, "cannot create trace directory %s: %s",
			                h->dir, errno == EEXIST ? "it already exists" : strerror(errno));
	}
	struct record_opts *ro = &h->ro;
	ro->dir = h->dir;
	ro->exe = h->exe;
	ro->argv = h->argv;
	ro->argc = (int)argc;
	ro->envp = h->envp;
	ro->buffer = !(o->flags & SCRIBE_RECORD_NO_BUFFER);
	ro->cwd = o->cwd;
	ro->take_tty = o->flags & SCRIBE_RECORD_TTY;
	ro->set_stdio = o->flags & SCRIBE_RECORD_STDIO;
	memcpy(ro->stdio, o->stdio, sizeof(ro->stdio));
	ro->job_stop = o->job_stop;
	ro->job_ctx = o->ctx;
	ro->chaos = o->flags & SCRIBE_RECORD_CHAOS;
	ro->chaos_seed = o->size >= offsetof(struct scribe_record_opts, chaos_seed) +
	                 sizeof(o->chaos_seed) ? o->chaos_seed : 0;
	ro->started = on_started;
	ro->started_ctx = h;
	/* A store that cannot be made (a read-only home): the trace keeps
	 * its own objects, as with no store at all. */
	if (o->store && store_create(o->store) == 0) {
		h->store = xstrdup(o->store);
	} else {
		h->store = xasprintf("%s/%s", h->dir, STORE_PACKED);
		ro->packed = true;
	}
	ro->store = h->store;
	return SCRIBE_OK;
}

int scribe_record_open(const char *const argv[], const struct scribe_record_opts *opts,
                       scribe_record **out)
{
	if (!out)
		return SCRIBE_E_ARG;
	scribe_record *h = calloc(1, sizeof(*h));
	*out = h;
	if (!h)
		return SCRIBE_E_NOMEM;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->done = true;             /* until a thread runs */
	err_private_thread();
	int rc = setup(h, argv, opts);
	if (rc != SCRIBE_OK) {
		h->rc = rc;
		return rc;
	}
	h->rec = record_new();
	h->done = false;
	int e = pthread_create(&h->thread, NULL, session, h);
	if (e) {
		h->done = true;
		rmdir(h->dir);
		return h->rc = lib_fail(h->err, SCRIBE_E_IO, "cannot start the recording's thread: %s",
		                        strerror(e));
	}
	h->thread_live = true;
	pthread_mutex_lock(&h->mu);
	while (!h->started && !h->done)
		pthread_cond_wait(&h->cv, &h->mu);
	bool failed = !h->started;
	pthread_mutex_unlock(&h->mu);
	if (failed) {
		/* Not even spawned: nothing to wait for but the message. */
		pthread_join(h->thread, NULL);
		h->joined = true;
		remove_trace(h->dir);
		return h->rc = lib_fail(h->err, SCRIBE_E_IO, "%s", h->runerr);
	}
	return SCRIBE_OK;
}

/* The result of a finished recording (the thread joined). */
static int result(scribe_record *h, int *status)
{
	if (!h->thread_live) {        /* open failed */
		if (status)
			*status = h->status;
		return h->rc ? h->rc : SCRIBE_E_STATE;
	}
	if (!h->joined) {
		pthread_join(h->thread, NULL);
		h->joined = true;
		if (h->exec_errno) {
			remove_trace(h->dir);
			h->status = (h->exec_errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC) << 8;
			h->rc = lib_fail(h->err, SCRIBE_E_EXEC, "%s: %s", h->argv[0],
			                 strerror(h->exec_errno));
		} else if (h->rc < 0) {
			h->rc = lib_fail(h->err, h->interrupted ? SCRIBE_E_TRUNCATED : SCRIBE_E_IO,
			                 "%s", h->runerr);
		} else {
			h->rc = SCRIBE_OK;
			if (h->named)
				trace_set_latest(h->dir);
		}
	}
	if (status)
		*status = h->status;
	return h->rc;
}

int scribe_record_wait(scribe_record *h, int timeout_ms, int *status)
{
	if (!h)
		return SCRIBE_E_ARG;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (timeout_ms > 0) {
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&h->mu);
	while (!h->done && timeout_ms != 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&h->cv, &h->mu);
		else if (pthread_cond_timedwait(&h->cv, &h->mu, &ts) == ETIMEDOUT)
			break;
	}
	bool done = h->done;
	pthread_mutex_unlock(&h->mu);
	if (!done)
		return SCRIBE_E_AGAIN;
	return result(h, status);
}

int scribe_record_signal(scribe_record *h, int sig)
{
	if (!h || !h->rec || sig <= 0 || sig >= 65)
		return SCRIBE_E_ARG;
	record_signal(h->rec, sig);
	return SCRIBE_OK;
}

int scribe_record_interrupt(scribe_record *h)
{
	return scribe_record_signal(h, SIGINT);
}

int scribe_record_pid(const scribe_record *h)
{
	return h && h->started ? (int)h->pid : SCRIBE_E_STATE;
}

void scribe_record_close(scribe_record *h)
{
	if (!h)
		return;
	if (h->thread_live && !h->joined) {
		/* Still running: two stop requests end it now (the program is
		 * killed; the trace is an interrupted recording). */
		pthread_mutex_lock(&h->mu);
		bool done = h->done;
		pthread_mutex_unlock(&h->mu);
		if (!done) {
			record_signal(h->rec, SIGTERM);
			record_signal(h->rec, SIGTERM);
		}
		pthread_join(h->thread, NULL);
	}
	record_free(h->rec);
	free_vec(h->argv);
	free_vec(h->envp);
	free(h->dir);
	free(h->exe);
	free(h->store);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h);
}

const char *scribe_record_error(const scribe_record *h) { return h ? h->err : "no session"; }

const char *scribe_record_dir(const scribe_record *h) { return h ? h->dir : NULL; }
