/* cmd_chaos.c -- `scribe chaos`: record a program many times in chaos mode
 * (record --chaos, record_chaos.c), several at once, and keep the traces
 * of the runs that fail.
 *
 * Each run is a `scribe record --chaos=SEED` of its own (this binary,
 * exec'd), watched by a runner process forked for it: the runner enforces
 * --timeout, then runs --check, and reports to us through a pipe.  We only
 * keep JOBS runners going, collect their reports, delete the traces of the
 * runs that passed and print the failures grouped by signature. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/sig.h"
#include "core/spawn.h"
#include "core/util.h"

static const char usage[] =
"Usage: scribe chaos [-n N] [-j JOBS] [--check CMD] [--timeout S] [--keep-all]\n"
"                    [--seed SEED] [-o DIR] [--] PROG [ARGS...]\n"
"\n"
"Record PROG N times in chaos mode ('scribe record --chaos': random thread\n"
"scheduling, so that rare interleavings show up) and keep the traces of the\n"
"runs that fail.  A run fails when PROG exits non-zero or is killed by a\n"
"signal, when it runs longer than --timeout, or when CMD, run after it,\n"
"exits non-zero.  Every kept trace replays its failure exactly\n"
"('scribe replay TRACE', 'scribe debug TRACE').\n"
"\n"
"Options:\n"
"  -n N              number of runs (default 10)\n"
"  -j JOBS           runs at the same time (default: the number of CPUs)\n"
"      --check CMD   after each run, run CMD with sh -c; it fails the run if\n"
"                    it exits non-zero.  It finds the trace in $SCRIBE_TRACE,\n"
"                    PROG's wait status in $SCRIBE_STATUS and PROG's output\n"
"                    in the files $SCRIBE_TRACE.out and $SCRIBE_TRACE.err\n"
"      --timeout S   a run still going after S seconds (a number, may have\n"
"                    a fraction) is stopped as 'scribe record' stops on\n"
"                    SIGTERM, and fails; its trace is kept up to there\n"
"      --keep-all    keep the traces of passing runs too\n"
"      --seed SEED   seed of the first run (run K has SEED+K-1); default\n"
"                    random.  Each trace's seed is in 'scribe info'\n"
"  -o DIR            put the runs in DIR (created; must not exist); default\n"
"                    $SCRIBE_DIR/chaos-PROG-N\n"
"  -h, --help        show this help\n"
"\n"
"Run K's trace is DIR/run-K, PROG's stdout and stderr in DIR/run-K.out and\n"
"DIR/run-K.err.  The summary lists the runs, the failures and the distinct\n"
"failures by signature (exit status or signal, timeout, check status, and\n"
"the first lines of PROG's stderr), with the full path of each kept trace.\n"
"\n"
"Exit status: 0 when every run passed, 1 when a failing run was kept, 125\n"
"on a usage error or when scribe itself fails.\n";

#define SIG_LINES 3       /* lines of stderr in a failure's signature */

struct opts {
	long n, jobs;
	const char *check;
	double timeout;          /* seconds, 0: none */
	bool keep_all;
	uint64_t seed;
	char *dir;
	char **argv;             /* PROG ARGS */
};

/* What a runner tells us about its run. */
struct report {
	int status;              /* scribe record's wait status */
	int timed_out;
	int check_ran;
	int check_status;        /* its wait status */
};

struct run {
	pid_t runner;            /* 0: not started or done */
	int fd;                  /* the report's pipe */
	struct report rep;
	bool failed;
	char *sig;               /* the failure's signature */
};

static char *run_path(const struct opts *o, long k, const char *ext)
{
	return xasprintf("%s/run-%ld%s", o->dir, k + 1, ext);
}

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* In the runner: exec `scribe record --chaos=SEED -q -o TRACE -- PROG...`
 * with the run's output files. */
static _Noreturn void exec_record(const struct opts *o, long k, const char *self)
{
	char *out = run_path(o, k, ".out"), *err = run_path(o, k, ".err");
	int in = open("/dev/null", O_RDONLY);
	int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || fo < 0 || fe < 0 || dup2(in, 0) < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
		_exit(EXIT_SCRIBE);
	size_t n = 0;
	while (o->argv[n])
		n++;
	char **av = xcalloc(n + 8, sizeof(*av));
	size_t a = 0;
	av[a++] = "scribe";
	av[a++] = "record";
	av[a++] = "-q";
	av[a++] = xasprintf("--chaos=%llu", (unsigned long long)(o->seed + (uint64_t)k));
	av[a++] = "-o";
	av[a++] = run_path(o, k, "");
	av[a++] = "--";
	for (size_t i = 0; i < n; i++)
		av[a++] = o->argv[i];
	execv(self, av);
	fprintf(stderr, "scribe: chaos: cannot run %s: %s\n", self, strerror(errno));
	_exit(EXIT_SCRIBE);
}

/* In the runner: wait for the recording, stopping it at the timeout. */
static int wait_record(const struct opts *o, pid_t pid, int *timed_out)
{
	uint64_t start = mono_ns(), term_at = 0;
	uint64_t limit = o->timeout > 0 ? (uint64_t)(o->timeout * 1e9) : 0;
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			return st;
		if (w < 0 && errno != EINTR)
			return 0;
		uint64_t now = mono_ns();
		if (limit && !term_at && now - start >= limit) {
			/* As a user's SIGTERM: the program gets it, the trace is
			 * kept up to there. */
			*timed_out = 1;
			kill(pid, SIGTERM);
			term_at = now;
		} else if (term_at && now - term_at >= 5000000000ull) {
			kill(pid, SIGKILL);
			term_at = now;
		}
		sleep_ns(2000000);
	}
}

static int run_check(const struct opts *o, long k, int status)
{
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		char *tr = run_path(o, k, "");
		char st[32];
		snprintf(st, sizeof(st), "%d", status);
		setenv("SCRIBE_TRACE", tr, 1);
		setenv("SCRIBE_STATUS", st, 1);
		char *log = run_path(o, k, ".check");
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);
		if (fd < 0 || in < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(EXIT_SCRIBE);
		execl("/bin/sh", "sh", "-c", o->check, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

/* The runner: one run from start to report. */
static _Noreturn void runner(const struct opts *o, long k, const char *self, int fd)
{
	struct report rep = {0};
	pid_t pid = fork();
	if (pid == 0)
		exec_record(o, k, self);
	if (pid < 0)
		rep.status = EXIT_SCRIBE << 8;
	else
		rep.status = wait_record(o, pid, &rep.timed_out);
	if (o->check && pid > 0 && !rep.timed_out) {
		rep.check_ran = 1;
		rep.check_status = run_check(o, k, rep.status);
	}
	ssize_t w = write(fd, &rep, sizeof(rep));
	_exit(w == (ssize_t)sizeof(rep) ? 0 : EXIT_SCRIBE);
}

static void status_text(int st, char *buf, size_t n)
{
	if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by %s", sig_name(WTERMSIG(st)));
	else
		snprintf(buf, n, "exit %d", WEXITSTATUS(st));
}

/* "exit 1", "killed by SIGSEGV", "timeout"... then the first lines of
 * stderr, each on a line of its own starting with "  | ". */
static char *signature(const struct opts *o, long k, const struct report *rep)
{
	char what[128], st[48];
	status_text(rep->status, st, sizeof(st));
	if (rep->timed_out)
		snprintf(what, sizeof(what), "timeout after %gs", o->timeout);
	else if (rep->status != 0)
		snprintf(what, sizeof(what), "%s", st);
	else {
		status_text(rep->check_status, st, sizeof(st));
		snprintf(what, sizeof(what), "check failed: %s", st);
	}
	struct buf b = {0};
	buf_put(&b, what, strlen(what));
	char *err = run_path(o, k, ".err");
	FILE *f = fopen(err, "r");
	char line[256];
	for (int i = 0; f && i < SIG_LINES && fgets(line, sizeof(line), f); i++) {
		line[strcspn(line, "\n")] = 0;
		buf_put(&b, "\n  | ", 5);
		buf_put(&b, line, strlen(line));
	}
	if (f)
		fclose(f);
	free(err);
	buf_put(&b, "", 1);
	return (char *)b.p;
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	remove(p);
	return 0;
}

static void delete_run(const struct opts *o, long k)
{
	static const char *const ext[] = { ".out", ".err", ".check" };
	char *tr = run_path(o, k, "");
	nftw(tr, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(tr);
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		char *p = run_path(o, k, ext[i]);
		unlink(p);
		free(p);
	}
}

static void finish_run(const struct opts *o, long k, struct run *r)
{
	struct report rep = {0};
	ssize_t got = read(r->fd, &rep, sizeof(rep));
	close(r->fd);
	if (got != (ssize_t)sizeof(rep))
		rep.status = EXIT_SCRIBE << 8;   /* the runner died: count it */
	r->rep = rep;
	r->failed = rep.status != 0 || rep.timed_out || (rep.check_ran && rep.check_status != 0);
	if (r->failed)
		r->sig = signature(o, k, &rep);
	else if (!o->keep_all)
		delete_run(o, k);
}

static void summary(const struct opts *o, struct run *runs, char **abs_dir)
{
	long nfail = 0, ndistinct = 0;
	for (long k = 0; k < o->n; k++)
		nfail += runs[k].failed;
	bool *shown = xcalloc(o->n, sizeof(*shown));
	for (long k = 0; k < o->n; k++)
		if (runs[k].failed && !shown[k]) {
			ndistinct++;
			for (long j = k; j < o->n; j++)
				if (runs[j].failed && !strcmp(runs[j].sig, runs[k].sig))
					shown[j] = true;
		}
	printf("scribe chaos: %ld run%s, %ld failed, %ld distinct failure%s\n", o->n,
	       o->n == 1 ? "" : "s", nfail, ndistinct, ndistinct == 1 ? "" : "s");
	memset(shown, 0, o->n * sizeof(*shown));
	long id = 0;
	for (long k = 0; k < o->n; k++) {
		if (!runs[k].failed || shown[k])
			continue;
		long count = 0;
		for (long j = k; j < o->n; j++)
			count += runs[j].failed && !strcmp(runs[j].sig, runs[k].sig);
		printf("failure %ld (%ld run%s): %s\n", ++id, count, count == 1 ? "" : "s",
		       runs[k].sig);
		for (long j = k; j < o->n; j++)
			if (runs[j].failed && !strcmp(runs[j].sig, runs[k].sig)) {
				shown[j] = true;
				printf("  %s/run-%ld (seed %llu)\n", *abs_dir, j + 1,
				       (unsigned long long)(o->seed + (uint64_t)j));
			}
	}
	if (o->keep_all)
		printf("all traces kept in %s\n", *abs_dir);
	else if (nfail < o->n)
		printf("the traces of the %ld passing run%s were deleted\n", o->n - nfail,
		       o->n - nfail == 1 ? "" : "s");
	free(shown);
}

static int run_all(struct opts *o)
{
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (sl <= 0) {
		fprintf(stderr, "scribe: chaos: cannot find scribe's own binary: %s\n", strerror(errno));
		return EXIT_SCRIBE;
	}
	self[sl] = 0;
	struct run *runs = xcalloc(o->n, sizeof(*runs));
	long next = 0, done = 0, running = 0;
	fflush(NULL);
	while (done < o->n) {
		while (running < o->jobs && next < o->n) {
			int p[2];
			if (pipe2(p, O_CLOEXEC) < 0)
				fatal("chaos: pipe: %s", strerror(errno));
			pid_t pid = fork();
			if (pid < 0)
				fatal("chaos: fork: %s", strerror(errno));
			if (pid == 0) {
				close(p[0]);
				runner(o, next, self, p[1]);
			}
			close(p[1]);
			runs[next].runner = pid;
			runs[next].fd = p[0];
			next++;
			running++;
		}
		int st;
		pid_t w = waitpid(-1, &st, 0);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			fatal("chaos: waitpid: %s", strerror(errno));
		}
		for (long k = 0; k < next; k++)
			if (runs[k].runner == w) {
				runs[k].runner = 0;
				finish_run(o, k, &runs[k]);
				running--;
				done++;
			}
	}
	char *abs_dir = realpath(o->dir, NULL);
	if (!abs_dir)
		abs_dir = xstrdup(o->dir);
	summary(o, runs, &abs_dir);
	bool failed = false;
	for (long k = 0; k < o->n; k++) {
		failed |= runs[k].failed;
		free(runs[k].sig);
	}
	free(runs);
	free(abs_dir);
	return failed ? 1 : 0;
}

static bool parse_long(const char *s, long *v)
{
	char *end;
	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno && *v > 0;
}

int cmd_chaos(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "check", required_argument, 0, 'c' },
		{ "timeout", required_argument, 0, 't' },
		{ "keep-all", no_argument, 0, 'k' },
		{ "seed", required_argument, 0, 's' },
		{ "output", required_argument, 0, 'o' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct opts o = { .n = 10, .jobs = ncpu > 0 ? ncpu : 1 };
	const char *out = NULL;
	bool seeded = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:n:j:o:h", lopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'n':
			if (!parse_long(optarg, &o.n))
				return usage_error("chaos", "-n %s: not a positive number", optarg);
			break;
		case 'j':
			if (!parse_long(optarg, &o.jobs))
				return usage_error("chaos", "-j %s: not a positive number", optarg);
			break;
		case 'c': o.check = optarg; break;
		case 't':
			errno = 0;
			o.timeout = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(o.timeout > 0))
				return usage_error("chaos", "--timeout %s: not a positive number of "
				                   "seconds", optarg);
			break;
		case 'k': o.keep_all = true; break;
		case 's':
			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (!*optarg || *end || errno || *optarg == '-')
				return usage_error("chaos", "--seed %s: not a number", optarg);
			seeded = true;
			break;
		case 'o': out = optarg; break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("chaos", c, argv);
		}
	}
	if (optind >= argc)
		return usage_error("chaos", "no program given");
	o.argv = argv + optind;
	int st;
	char *exe = spawn_resolve(o.argv[0], &st);
	if (!exe) {
		err_print();
		return EXIT_SCRIBE;
	}
	free(exe);
	if (!seeded && getrandom(&o.seed, sizeof(o.seed), 0) != sizeof(o.seed))
		o.seed = mono_ns();
	o.seed &= (1ull << 62) - 1;     /* SEED+K stays readable */
	if (out) {
		if (mkdir(out, 0700) < 0) {
			fprintf(stderr, "scribe: chaos: cannot create %s: %s\n", out,
			        errno == EEXIST ? "it already exists" : strerror(errno));
			return EXIT_SCRIBE;
		}
		o.dir = xstrdup(out);
	} else {
		char *name = xasprintf("chaos-%s", strrchr(o.argv[0], '/') ?
		                       strrchr(o.argv[0], '/') + 1 : o.argv[0]);
		o.dir = trace_new_dir(name);
		free(name);
		if (!o.dir) {
			err_print();
			return EXIT_SCRIBE;
		}
	}
	int rc = run_all(&o);
	free(o.dir);
	return rc;
}
