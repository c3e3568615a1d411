/* cmd_record.c -- `scribe record`: run a program and record it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/spawn.h"
#include "core/store.h"
#include "core/util.h"
#include "record/record.h"

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

/* Our environment with the library first in LD_PRELOAD. */
static char **preload_env(const char *lib)
{
	extern char **environ;
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof(*env));
	const char *old = getenv("LD_PRELOAD");
	char *mine = old && *old ? xasprintf("LD_PRELOAD=%s:%s", lib, old)
	                         : xasprintf("LD_PRELOAD=%s", lib);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11))
			env[k++] = environ[i];
	env[k++] = mine;
	return env;
}

static void rm_rf_trace(const char *dir)
{
	/* Only files scribe itself created: events.*, header, objects.list */
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
	int pargc = argc - optind;
	int st;
	char *exe = spawn_resolve(pargv[0], &st);
	if (!exe) {
		err_print();
		return st;
	}
	char *dir;
	if (out) {
		if (mkdir(out, 0700) < 0) {
			fprintf(stderr, "scribe: cannot create trace directory %s: %s\n", out,
			        errno == EEXIST ? "it already exists" : strerror(errno));
			return EXIT_SCRIBE;
		}
		dir = xstrdup(out);
	} else if (!(dir = trace_new_dir(pargv[0]))) {
		err_print();
		return EXIT_SCRIBE;
	}
	char *store = trace_store();
	struct record_opts ro = { .dir = dir, .exe = exe, .argv = pargv, .argc = pargc,
	                          .store = store, .chaos = chaos, .chaos_seed = seed };
	if (store_create(store) < 0) {
		/* A read-only home, or another user's $SCRIBE_DIR: the trace
		 * keeps its own objects, silently (the program's stderr is
		 * ours; 'scribe info' says the trace is packed). */
		free(store);
		store = xasprintf("%s/%s", dir, STORE_PACKED);
		ro.store = store;
		ro.packed = true;
	}
	char *lib = buffer ? find_preload() : NULL;
	if (lib) {
		ro.buffer = true;
		ro.envp = preload_env(lib);
	}
	int status = 0, exec_errno = 0;
	if (record_run(&ro, &status, &exec_errno) < 0) {
		err_print();
		return EXIT_SCRIBE;
	}
	if (exec_errno) {
		fprintf(stderr, "scribe: %s: %s\n", pargv[0], strerror(exec_errno));
		rm_rf_trace(dir);
		return exec_errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
	}
	if (copy_files && trace_pack(dir, true) < 0) {
		err_print();
		return EXIT_SCRIBE;
	}
	if (!out)
		trace_set_latest(dir);
	if (!quiet && isatty(2))
		fprintf(stderr, "scribe: trace saved to %s\n", dir);
	free(dir);
	free(exe);
	free(store);
	exit_like(status);
}
