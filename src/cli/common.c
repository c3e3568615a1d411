/* common.c -- exit conventions and usage printing shared by the commands. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/util.h"

void exit_like(int status)
{
	/* A tracer thread failing kills the program: the status seen here is
	 * then that kill's, and the failure's 125 is the one to exit with. */
	fatal_wait();
	fflush(stdout);
	fflush(stderr);
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		/* Die of the same signal so the shell reports the same thing;
		 * no core file of scribe itself. */
		struct rlimit z = { 0, 0 };
		setrlimit(RLIMIT_CORE, &z);
		signal(sig, SIG_DFL);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		exit(128 + sig);    /* the signal could not kill us (SIGSTOP...) */
	}
	exit(EXIT_SCRIBE);
}

/* At exit: output that could not be written (a full disk, /dev/full) is a
 * failure, not a success with nothing to show.  stdio keeps the error
 * (ferror) but not its errno once a later write worked around it; the
 * final flush in fclose says which, most of the time. */
static void check_stdout(void)
{
	bool bad = ferror(stdout);
	errno = 0;
	if (fclose(stdout) != 0)
		bad = true;
	if (!bad)
		return;
	int e = errno;
	fprintf(stderr, "scribe: cannot write to standard output%s%s\n", e ? ": " : "",
	        e ? strerror(e) : "");
	_exit(EXIT_SCRIBE);
}

void cli_check_output(void)
{
	atexit(check_stdout);
}

void usage_print(const char *text, bool to_stdout)
{
	fputs(text, to_stdout ? stdout : stderr);
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "scribe: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'scribe %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_SCRIBE;
}

int usage_bad_option(const char *cmd, int c, char **argv)
{
	/* getopt is quiet (opterr = 0, optstring starting with ':'). */
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	if (c == ':')
		return usage_error(cmd, "option '%s' needs an argument", arg);
	if (optopt)
		return usage_error(cmd, "unknown option '-%c'", optopt);
	return usage_error(cmd, "unknown option '%s'", arg);
}

int quiet_options(const char *cmd, const char *usage, int argc, char **argv, bool *quiet)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;
	*quiet = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q': *quiet = true; break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option(cmd, c, argv);
		}
	}
	return -1;
}
