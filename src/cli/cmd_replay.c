/* cmd_replay.c -- `scribe replay`: replay a recording. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "replay/replay.h"

static const char usage[] =
"Usage: scribe replay [-q] [--stats] [--sysemu] [TRACE]\n"
"       scribe replay --go-live-at EVENT|bookmark:NAME|end [--force] [TRACE]\n"
"\n"
"Replay a recording: the program runs again, from the trace's own copy of\n"
"its binary and libraries (its objects: in the trace when it is packed,\n"
"else in the object store that recorded it, each checked against its hash\n"
"before its first use), and every system call is answered from the\n"
"trace, so it computes exactly what it computed when recorded.  What it\n"
"wrote to its standard output and standard error is written again, byte\n"
"for byte; nothing else of the file system or the network is touched.\n"
"\n"
"Every system call, signal and rdtsc is checked against the recording; at\n"
"the first difference replay stops with one line:\n"
"  scribe: replay diverged at event N (tid T): expected ..., got ...\n"
"\n"
"Options:\n"
"  -q, --quiet   do not re-emit the program's output\n"
"      --stats   after the program's output, print on stderr how many events\n"
"                were replayed and how preemptions and asynchronous signals\n"
"                were placed (count, and time to place each: median, worst)\n"
"      --sysemu  replay with no seccomp filter in the program: every system\n"
"                call stops with PTRACE_SYSEMU, as going live needs (also\n"
"                when SCRIBE_REPLAY_SYSEMU=1 is in the environment)\n"
"      --go-live-at EVENT|bookmark:NAME|end\n"
"                replay up to event EVENT (its number in `scribe dump`),\n"
"                bookmark NAME (every process at its place in it) or the\n"
"                end, then let the program run on live, untraced:\n"
"                its regular files are reopened by path at their recorded\n"
"                offsets and flags, its working directory set, and the call\n"
"                it was about to make is made for real.  The file system is\n"
"                today's: files changed since the recording are not rewound.\n"
"                Pids are not the recorded ones (one line says so).  scribe\n"
"                then waits for the program and exits with its status\n"
"      --force   go live even if an fd cannot be rebuilt (a pipe, a socket...):\n"
"                it is closed (without --force: one line names it, status 125)\n"
"  -h, --help    show this help\n"
"\n"
"TRACE defaults to the latest recording.  Replay writes nothing into the\n"
"trace (it may be read-only, or another user's): its scratch files go to\n"
"$XDG_RUNTIME_DIR/scribe or /dev/shm/scribe-UID, and it removes those that\n"
"replays which died left there.\n"
"\n"
"Exit status: the recorded program's status (scribe dies of the same signal\n"
"when the program was killed by one); 125 if the trace is missing, corrupt,\n"
"ends early, or the replay diverged.\n";

int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "stats", no_argument, 0, 's' },
		{ "sysemu", no_argument, 0, 'E' },
		{ "go-live-at", required_argument, 0, 'L' },
		{ "force", no_argument, 0, 'F' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct replay_opts ro = {0};
	const char *live_at = NULL;
	bool force = false;
	const char *emu = getenv("SCRIBE_REPLAY_SYSEMU");
	ro.sysemu = emu && !strcmp(emu, "1");
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q': ro.quiet = true; break;
		case 's': ro.stats = true; break;
		case 'E': ro.sysemu = true; break;
		case 'L': live_at = optarg; break;
		case 'F': force = true; break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("replay", c, argv);
		}
	}
	if (argc - optind > 1)
		return usage_error("replay", "too many arguments");
	char *dir = trace_resolve(optind < argc ? argv[optind] : NULL);
	if (!dir) {
		err_print();
		return EXIT_SCRIBE;
	}
	if (live_at) {
		int rc = replay_go_live(dir, live_at, force);
		free(dir);
		return rc;
	}
	if (force)
		return usage_error("replay", "--force goes with --go-live-at");
	ro.dir = dir;
	char *store = trace_store();
	ro.store = store;
	int status;
	if (replay_run(&ro, &status) < 0)
		return EXIT_SCRIBE;
	free(store);
	free(dir);
	exit_like(status);
}
