/* cmd_debug.c -- `scribe debug`: gdb on a replay (src/gdb/, a client of
 * the public replay API). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/util.h"
#include "gdb/gdb_server.h"
#include "scribe.h"

static const char usage[] =
"Usage: scribe debug [-p PID | -e EVENT] [TRACE] [-- GDB_ARGS...]\n"
"       scribe debug --serve PORT [-p PID | -e EVENT] [TRACE]\n"
"\n"
"Debug a recording with gdb: the program is replayed under a gdb remote\n"
"protocol server, and gdb, started connected to it, sees it as a live\n"
"process that cannot be changed.  Breakpoints (as many as wanted),\n"
"hardware breakpoints and watchpoints (3 at most together), stepping,\n"
"backtraces, threads and reading variables work; writing memory or\n"
"registers is refused.  A watchpoint also stops where a system call the\n"
"replay answers from the trace wrote the watched memory.\n"
"\n"
"Options:\n"
"  -p, --pid PID      debug the recorded process PID, from its first exec\n"
"                     (default: the first process)\n"
"  -e, --event N      start at event N (its global index, the first column\n"
"                     of `scribe dump`)\n"
"      --serve PORT   do not start gdb: serve the protocol on 127.0.0.1:PORT\n"
"                     (0: any free port, printed) for `target remote` or an\n"
"                     IDE; one client\n"
"  -h, --help         show this help\n"
"\n"
"gdb's `monitor help` lists scribe's own commands (monitor event, monitor\n"
"when, monitor goto EVENT, monitor goto bookmark NAME, monitor processes,\n"
"monitor switch PID, monitor checkpoint, monitor restart N).  gdb reads\n"
"the program and its libraries from the trace's own copies.\n"
"reverse-continue and reverse-stepi go back in time (gdb's\n"
"reverse-step, -next, -finish too).  TRACE defaults to the latest\n"
"recording.  docs/debugging.md has more, and a VS Code setup.\n"
"\n"
"Exit status: gdb's; with --serve, 0 once the client is gone; 125 if the\n"
"trace cannot be replayed or gdb cannot be started.\n";

/* Listen on 127.0.0.1:port (0: any); the port chosen in *port. */
static int listen_local(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)*port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* The pid gdb follows: -p's, or the task's at the stop (the first). */
static int32_t followed(scribe_replay *r, int32_t pid)
{
	if (pid)
		return pid;
	struct scribe_stop st = { .size = sizeof(st) };
	scribe_replay_wait(r, 0, &st);
	struct scribe_task t[256];
	int n = scribe_replay_tasks(r, t, 256);
	for (int i = 0; i < n && i < 256; i++)
		if (t[i].tid == st.tid)
			return t[i].pid;
	return n > 0 ? t[0].pid : 0;
}

static pid_t start_gdb(int port, char **args, int nargs)
{
	char target[64];
	snprintf(target, sizeof(target), "target remote 127.0.0.1:%d", port);
	char **argv = xcalloc((size_t)nargs + 6, sizeof(char *));
	int k = 0;
	argv[k++] = "gdb";
	argv[k++] = "-q";
	argv[k++] = "-ex";
	argv[k++] = target;
	for (int i = 0; i < nargs; i++)
		argv[k++] = args[i];
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		execvp("gdb", argv);
		fprintf(stderr, "scribe: cannot run gdb: %s\n", strerror(errno));
		_exit(127);
	}
	free(argv);
	return pid;
}

/* Accept gdb's connection, giving up if gdb died first. */
static int accept_client(int lfd, pid_t gdb)
{
	for (;;) {
		struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
		fd_set set;
		FD_ZERO(&set);
		FD_SET(lfd, &set);
		int n = select(lfd + 1, &set, NULL, NULL, gdb ? &tv : NULL);
		if (n > 0)
			return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (n < 0 && errno != EINTR)
			return -1;
		if (gdb && waitpid(gdb, NULL, WNOHANG) == gdb)
			return -2;
	}
}

int cmd_debug(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, 0, 'p' },
		{ "event", required_argument, 0, 'e' },
		{ "serve", required_argument, 0, 's' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int32_t pid = 0;
	long long event = -1;
	int port = -1;
	int c;
	char *end;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pid = (int32_t)strtol(optarg, &end, 10);
			if (*end || pid <= 0)
				return usage_error("debug", "-p wants a recorded pid, not '%s'", optarg);
			break;
		case 'e':
			event = strtoll(optarg, &end, 10);
			if (*end || event < 0)
				return usage_error("debug", "-e wants an event index, not '%s'", optarg);
			break;
		case 's':
			port = (int)strtol(optarg, &end, 10);
			if (*end || port < 0 || port > 65535)
				return usage_error("debug", "--serve wants a port, not '%s'", optarg);
			break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("debug", c, argv);
		}
	}
	if (pid && event >= 0)
		return usage_error("debug", "-p and -e do not go together");
	const char *trace = NULL;
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		trace = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (port >= 0 && optind < argc)
		return usage_error("debug", "--serve starts no gdb: no GDB_ARGS");
	char *dir = trace_resolve(trace);
	if (!dir) {
		err_print();
		return EXIT_SCRIBE;
	}
	/* Ctrl-C is gdb's (it stops the replay through the protocol) */
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	scribe_replay *r;
	char err[1024] = "";
	int rc = scribe_replay_open(dir, NULL, &r);
	if (rc != SCRIBE_OK)
		snprintf(err, sizeof(err), "%s", scribe_replay_error(r));
	else
		rc = gdb_start(r, pid, event, err, sizeof(err));
	if (rc != SCRIBE_OK) {
		fprintf(stderr, "scribe: %s\n", err);
		scribe_replay_close(r);
		free(dir);
		return EXIT_SCRIBE;
	}
	struct gdb_server_opts so = { .trace = dir, .pid = followed(r, pid),
	                             .start_pid = pid, .event = event };
	int lport = port < 0 ? 0 : port;
	int lfd = listen_local(&lport);
	if (lfd < 0) {
		fprintf(stderr, "scribe: cannot listen on 127.0.0.1:%d: %s\n", lport, strerror(errno));
		scribe_replay_close(r);
		free(dir);
		return EXIT_SCRIBE;
	}
	pid_t gdb = 0;
	if (port >= 0) {
		fprintf(stderr, "scribe: serving the gdb protocol on 127.0.0.1:%d\n", lport);
	} else {
		gdb = start_gdb(lport, argv + optind, argc - optind);
		if (gdb < 0) {
			fprintf(stderr, "scribe: cannot start gdb: %s\n", strerror(errno));
			scribe_replay_close(r);
			free(dir);
			return EXIT_SCRIBE;
		}
	}
	int fd = accept_client(lfd, gdb);
	close(lfd);
	int status = 0;
	if (fd >= 0) {
		gdb_serve(&r, fd, &so);
		close(fd);
	}
	scribe_replay_close(r);
	free(dir);
	if (fd == -2) {
		fprintf(stderr, "scribe: gdb ended before it connected\n");
		return EXIT_SCRIBE;
	}
	if (gdb > 0) {
		while (waitpid(gdb, &status, 0) < 0 && errno == EINTR)
			;
		return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_SCRIBE;
	}
	return fd >= 0 ? 0 : EXIT_SCRIBE;
}
