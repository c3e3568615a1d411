/* main.c -- scribe's entry point: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cpu.h"
#include "core/util.h"

static const char usage[] =
"Usage: scribe COMMAND [OPTIONS] [ARGS]\n"
"\n"
"Record the execution of an unmodified Linux program and replay it exactly:\n"
"same system-call results, same signals, same output, same exit status,\n"
"without touching the file system or the network.  No kernel module and no\n"
"hardware performance counters are needed.\n"
"\n"
"Commands:\n"
"  record [-o TRACE] [--] PROG [ARGS...]   run PROG and record it\n"
"  replay [TRACE]                          replay a recording\n"
"  dump   [TRACE]                          list a recording's events\n"
"  info   [TRACE]                          summarize a recording\n"
"  ls                                      list the recordings\n"
"  pack   [TRACE]                          copy a trace's objects into it\n"
"  gc                                      delete objects no trace refers to\n"
"  bookmark [-t TRACE] [NAME]              bookmark a running recording\n"
"  debug [-p PID|-e EVENT] [TRACE]         gdb on a replay (docs/debugging.md)\n"
"  chaos [-n N] [-j JOBS] [--] PROG [ARGS] record N chaos runs, keep failures\n"
"\n"
"TRACE defaults to the latest recording.  Traces live in $SCRIBE_DIR\n"
"(default ~/.local/share/scribe) as PROG-N directories; the files they\n"
"mapped, once per content, in $SCRIBE_DIR/objects.\n"
"\n"
"Exit status: the program's own status (a program killed by a signal makes\n"
"scribe die of the same signal); 125 if scribe itself fails; 126 if PROG\n"
"cannot be executed; 127 if PROG is not found.\n"
"\n"
"Run 'scribe COMMAND --help' for a command's options; see scribe(1).\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "scribe: no command given (see 'scribe --help')\n");
		return EXIT_SCRIBE;
	}
	const char *cmd = argv[1];
	cli_check_output();
	cpu_own_process();
	if (is_help(cmd) || !strcmp(cmd, "help")) {
		usage_print(usage, true);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("scribe %s\n", SCRIBE_VERSION);
		return 0;
	}
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "record", cmd_record }, { "replay", cmd_replay }, { "dump", cmd_dump },
		{ "info", cmd_info }, { "ls", cmd_ls }, { "pack", cmd_pack }, { "gc", cmd_gc },
		{ "bookmark", cmd_bookmark },
		{ "debug", cmd_debug },
		{ "chaos", cmd_chaos },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "scribe: unknown command '%s' (see 'scribe --help')\n", cmd);
	return EXIT_SCRIBE;
}
