/* cli.h -- the subcommands and what they share. */
#ifndef SCRIBE_CLI_H
#define SCRIBE_CLI_H

#include <stdbool.h>

#include "core/tracedir.h"

int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_bookmark(int argc, char **argv);
int cmd_debug(int argc, char **argv);
int cmd_chaos(int argc, char **argv);

/* Copy the trace's objects into it (cmd_pack.c); -1 with err_set. */
int trace_pack(const char *dir, bool quiet);

/* TRACE argument -> directory: NULL means latest; a name is looked up
 * under ROOT when it is not a path.  NULL + err_set if there is none. */
char *trace_resolve(const char *arg);

/* trace_resolve + read its header; prints the error and returns NULL. */
struct trc_header;
char *trace_open_arg(const char *arg, struct trc_header *h);

/* Stream (domain) numbers present in a trace directory, sorted. */
#include <stdint.h>
int trace_streams(const char *dir, uint32_t **out);

/* bookmarks.c: print, as `--- bookmark NAME` lines, the bookmarks of tr
 * at positions [from, to] of `stream` (dump); the `bookmarks:` lines of
 * `scribe info` (-1 after a message if the file is damaged). */
typedef struct scribe_trace scribe_trace;
void cli_bookmarks_at(scribe_trace *tr, uint32_t stream, uint64_t from, uint64_t to);
int cli_bookmarks_info(const char *dir);

/* From now on, exiting after output to stdout failed prints one line and
 * exits 125 instead. */
void cli_check_output(void);

/* Exit the way the program did: its exit code, or the same signal. */
_Noreturn void exit_like(int status);

/* Print a command's usage text; `to_stdout` for --help. */
void usage_print(const char *text, bool to_stdout);
/* One "scribe: CMD: ..." line pointing at --help; returns 125. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for what getopt rejected (c is its return value). */
int usage_bad_option(const char *cmd, int c, char **argv);
/* Parse [-q|--quiet] [-h|--help] (pack, gc): -1 to go on (optind at the
 * first argument), else the status to exit with (--help, a bad option). */
int quiet_options(const char *cmd, const char *usage, int argc, char **argv, bool *quiet);
/* True if argv[i] is -h/--help. */
bool is_help(const char *arg);

/* scribe replay --go-live-at (replay_live.c): an exit status. */
int replay_go_live(const char *dir, const char *where, bool force);

#endif
