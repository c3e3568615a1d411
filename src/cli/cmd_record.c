/* cmd_record.c -- `scribe record`: run a program and record it. */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/spawn.h"
#include "core/util.h"
#include "core/worker.h"
#include "scribe.h"

static const char usage[] =
"Usage: scribe record [-o TRACE] [-q] [--no-buffer] [--copy-files] [--chaos[=SEED]]\n"
"                     [--] PROG [ARGS...]\n"
"\n"
"Run PROG with ARGS under scribe and record everything the program takes\n"
"from the outside world: system-call results, signals, time stamps, random\n"
"bytes and the files it maps.  The program runs normally: it reads its\n"
"input, writes its output and exits as it would without scribe.\n"
"\n"
"Options:\n"
"  -o, --output TRACE  write the trace to the directory TRACE (must not\n"
"                      exist yet); default $SCRIBE_DIR/PROG-N, and the\n"
"                      'latest' link then points at it\n"
"  -q, --quiet         do not print where the trace was saved\n"
"      --no-buffer     trace every system call (no in-process syscall\n"
"                      buffering; also SCRIBE_NO_BUFFER=1): slower, for\n"
"                      comparison and debugging\n"
"      --copy-files    pack the trace when the recording ends (as\n"
"                      'scribe pack' does): it then holds copies of the\n"
"                      files the program mapped, not only their hashes\n"
"      --chaos[=SEED]  chaos mode: random scheduling (slices of 100 us to\n"
"                      25 ms, random choice of the next thread, threads\n"
"                      switched and delayed at random system calls), so\n"
"                      that rare interleavings show up; the trace replays\n"
"                      as any other.  SEED (a number; default: random)\n"
"                      names the run in 'scribe info'.  See 'scribe chaos'\n"
"  -h, --help          show this help\n"
"\n"
"Unless --no-buffer is given, scribe loads its syscall buffer library\n"
"(libscribe-preload.so, found next to the scribe binary or in\n"
"../lib/scribe/) into the program with LD_PRELOAD: common calls (read,\n"
"write, clock_gettime...) that cannot block are then made and logged\n"
"inside the program, without stopping it.  Large reads of files installed\n"
"under /usr, /lib, /bin and /sbin are kept in the trace as references to\n"
"its copy of the file, after a comparison of the bytes.\n"
"\n"
"The files the program maps are copied once per content into the object\n"
"store, $SCRIBE_DIR/objects (private copies: never links to the system's\n"
"files); the trace refers to them by hash.  'scribe pack' copies them into\n"
"the trace, 'scribe gc' deletes those no trace refers to.\n"
"\n"
"The trace is saved even when the program fails or is killed.  PROG runs\n"
"in a process group of its own, in the terminal's foreground when scribe\n"
"has it (Ctrl-C and Ctrl-Z reach it).  SIGTERM, SIGHUP, SIGINT and SIGQUIT\n"
"sent to scribe are passed on to the program; if it has not ended a second\n"
"after SIGTERM, SIGINT or SIGHUP, scribe kills it and keeps the trace up to\n"
"there (exit 125).\n"
"\n"
"Exit status: PROG's status (scribe dies of the same signal when PROG was\n"
"killed by one); 125 if recording failed; 126 if PROG cannot be executed;\n"
"127 if PROG is not found.\n";

/* The syscall buffer library: next to the binary (a build tree), or in
 * ../lib/scribe/ (an installation).  NULL, after a warning, if missing. */
static char *find_preload(void)
{
	char self_path[4096];
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n > 0) {
		self_path[n] = 0;
		char *slash = strrchr(self_path, '/');
		if (slash)
			*slash = 0;
		const char *rel[] = { "", "/..", "/../lib/scribe" };
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			char *p = xasprintf("%s%s/libscribe-preload.so", self_path, rel[i]);
			char *real = realpath(p, NULL);
			free(p);
			if (real && !strpbrk(real, " :"))
				return real;
			free(real);
		}
	}
	fprintf(stderr, "scribe: warning: libscribe-preload.so not found next to scribe; "
	        "recording without syscall buffering (slower)\n");
	return NULL;
}

/* The recording, for the signal handlers (set while it runs). */
static scribe_record *volatile running;
static volatile sig_atomic_t relayed_stop;

/* SIGTERM, SIGHUP, SIGINT, SIGQUIT: passed on (record_interrupt.c). */
static void on_signal(int sig)
{
	scribe_record *rec = running;
	if (rec)
		scribe_record_signal(rec, sig);
}

/* Ctrl-Z stopped the program, which has the terminal: a shell would
 * never hear of it and keep waiting, so take the terminal back and stop
 * the same way, for the shell to see (a library thread calls this). */
static void on_job_stop(void *ctx, int sig)
{
	(void)ctx;
	if (relayed_stop)
		return;
	spawn_tty_back();
	relayed_stop = 1;
	kill(getpid(), sig);
}

/* `fg` or `bg` from the shell, after on_job_stop: the program's group
 * goes on too, in the terminal's foreground if we are. */
static void on_cont(int sig)
{
	(void)sig;
	scribe_record *rec = running;
	int root = rec ? scribe_record_pid(rec) : -1;
	if (!relayed_stop || root <= 0)
		return;
	relayed_stop = 0;
	spawn_tty_again(root);
	kill(-root, SIGCONT);
}

/* Installed once the program runs: it inherited our dispositions as
 * they were (a shell's background job ignores SIGINT and SIGQUIT). */
static void install_handlers(void)
{
	/* The tracers' wake-up and tick, even if our SIGALRM was ignored
	 * (the library leaves a disposition other than the default alone;
	 * this process is scribe's own). */
	worker_wake_handler(false);
	struct sigaction sa = {0};
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

static int parse_seed(const char *s, uint64_t *seed)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-')
		return -1;
	*seed = v;
	return 0;
}

static uint64_t random_seed(void)
{
	uint64_t s = 0;
	if (getrandom(&s, sizeof(s), 0) != sizeof(s))
		s = mono_ns() ^ ((uint64_t)getpid() << 32);
	return s;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, 0, 'o' },
		{ "quiet", no_argument, 0, 'q' },
		{ "no-buffer", no_argument, 0, 'B' },
		{ "copy-files", no_argument, 0, 'C' },
		{ "chaos", optional_argument, 0, 'X' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *out = NULL;
	bool quiet = false, copy_files = false, chaos = false;
	uint64_t seed = 0;
	const char *nb = getenv("SCRIBE_NO_BUFFER");
	bool buffer = !(nb && *nb && strcmp(nb, "0"));
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'q': quiet = true; break;
		case 'B': buffer = false; break;
		case 'C': copy_files = true; break;
		case 'X':
			chaos = true;
			if (optarg && parse_seed(optarg, &seed) < 0)
				return usage_error("record", "--chaos=SEED: SEED must be a number");
			if (!optarg)
				seed = random_seed();
			break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("record", c, argv);
		}
	}
	if (optind >= argc)
		return usage_error("record", "no program given");
	char **pargv = argv + optind;
	int st;
	char *exe = spawn_resolve(pargv[0], &st);
	if (!exe) {
		err_print();
		return st;
	}
	char *store = trace_store();
	char *lib = buffer ? find_preload() : NULL;
	struct scribe_record_opts ro = {
		.size = sizeof(ro), .dir = out, .store = store, .preload = lib,
		.flags = SCRIBE_RECORD_TTY | (lib ? 0 : SCRIBE_RECORD_NO_BUFFER) |
		         (chaos ? SCRIBE_RECORD_CHAOS : 0),
		.job_stop = on_job_stop, .chaos_seed = seed,
	};
	scribe_record *rec;
	int rc = scribe_record_open((const char *const *)pargv, &ro, &rec);
	free(lib);
	int status = 0;
	if (rc == SCRIBE_OK) {
		running = rec;
		install_handlers();
		rc = scribe_record_wait(rec, -1, &status);
		running = NULL;
	}
	if (rc == SCRIBE_E_EXEC) {
		scribe_record_wait(rec, 0, &status);
		fprintf(stderr, "scribe: %s\n", scribe_record_error(rec));
		scribe_record_close(rec);
		return WEXITSTATUS(status);
	}
	if (rc != SCRIBE_OK) {
		fprintf(stderr, "scribe: %s\n", rec ? scribe_record_error(rec) : strerror(ENOMEM));
		scribe_record_close(rec);
		return EXIT_SCRIBE;
	}
	/* $SCRIBE_DIR/PROG-N without -o; `latest` points at it already */
	char *dir = xstrdup(scribe_record_dir(rec));
	scribe_record_close(rec);
	if (copy_files && trace_pack(dir, true) < 0) {
		err_print();
		return EXIT_SCRIBE;
	}
	if (!quiet && isatty(2))
		fprintf(stderr, "scribe: trace saved to %s\n", dir);
	free(dir);
	free(exe);
	free(store);
	exit_like(status);
}
