/* cmd_bookmark.c -- `scribe bookmark`: name the current point of a running
 * recording, through its control socket (record/record_bookmark.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/util.h"
#include "trace/trace_bookmark.h"

#define EXIT_NOT_RECORDING 1

static const char usage[] =
"Usage: scribe bookmark [-t TRACE] [NAME]\n"
"\n"
"Add a bookmark named NAME to a recording that is running now, at the\n"
"point it has reached: 'scribe dump' and 'scribe info' list it, and a\n"
"replay can run to it (Python: r.run_until(bookmark=NAME)).  Prints the\n"
"name and the bookmark's position in each event stream (STREAM:EVENT).\n"
"\n"
"NAME has 1 to 64 letters, digits, '.', '_' or '-' (not first: '.', '-')\n"
"and is unique in its recording; default bm-N.\n"
"\n"
"Options:\n"
"  -t, --trace TRACE   the recording's trace directory (as given to\n"
"                      'record -o', or a name under $SCRIBE_DIR); default:\n"
"                      the recording started last among those running\n"
"                      under $SCRIBE_DIR\n"
"  -h, --help          show this help\n"
"\n"
"A program can bookmark itself: a call such as\n"
"access(\"/dev/scribe/bookmark/NAME\", F_OK) fails with ENOENT, natively\n"
"and recorded alike, and a recording adds the bookmark NAME just before it.\n"
"\n"
"Exit status: 0 when the bookmark was added; 1 if no recording is running\n"
"(in TRACE, or at all); 125 for a bad NAME, a NAME taken already, or any\n"
"other failure.\n";

/* Connect to DIR/control; -1 with errno if nothing listens there. */
static int connect_to(const char *dir)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char *path = xasprintf("%s/%s", dir, TRC_CONTROL);
	if (strlen(path) < sizeof(a.sun_path))
		memcpy(a.sun_path, path, strlen(path));
	else      /* through the directory's descriptor: any length fits */
		snprintf(a.sun_path, sizeof(a.sun_path), "/proc/self/fd/%d/%s", dfd, TRC_CONTROL);
	free(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&a, sizeof(a));
	int e = errno;
	close(dfd);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* The running recording under ROOT started last (its socket is newest). */
static char *latest_running(void)
{
	char *root = trace_root();
	DIR *d = opendir(root);
	char *best = NULL;
	struct timespec best_t = { 0, 0 };
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *dir = xasprintf("%s/%s", root, e->d_name);
		char *sock = xasprintf("%s/%s", dir, TRC_CONTROL);
		struct stat st;
		int fd;
		if (lstat(sock, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    (st.st_mtim.tv_sec > best_t.tv_sec ||
		     (st.st_mtim.tv_sec == best_t.tv_sec && st.st_mtim.tv_nsec > best_t.tv_nsec)) &&
		    (fd = connect_to(dir)) >= 0) {
			close(fd);
			free(best);
			best = dir;
			dir = NULL;
			best_t = st.st_mtim;
		}
		free(sock);
		free(dir);
	}
	if (d)
		closedir(d);
	free(root);
	return best;
}

int cmd_bookmark(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trace", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *trace = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': trace = optarg; break;
		case 'h': usage_print(usage, true); return 0;
		default: return usage_bad_option("bookmark", c, argv);
		}
	}
	if (argc - optind > 1)
		return usage_error("bookmark", "one NAME at most");
	const char *name = optind < argc ? argv[optind] : NULL;
	if (name && !trc_bookmark_name_ok(name)) {
		err_print();
		return EXIT_SCRIBE;
	}
	char *dir;
	if (trace) {
		dir = trace_resolve(trace);
		if (!dir) {
			err_print();
			return EXIT_NOT_RECORDING;
		}
	} else if (!(dir = latest_running())) {
		char *root = trace_root();
		fprintf(stderr, "scribe: no recording is running under %s\n", root);
		free(root);
		return EXIT_NOT_RECORDING;
	}
	int fd = connect_to(dir);
	if (fd < 0) {
		fprintf(stderr, "scribe: no recording is running in %s\n", dir);
		free(dir);
		return EXIT_NOT_RECORDING;
	}
	char *req = name ? xasprintf("bookmark %s\n", name) : xstrdup("bookmark\n");
	struct timeval tv = { 10, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	char ans[8192];
	size_t len = 0;
	if (write_all(fd, req, strlen(req)) == 0) {
		while (len < sizeof(ans) - 1 && !memchr(ans, '\n', len)) {
			ssize_t k = read(fd, ans + len, sizeof(ans) - 1 - len);
			if (k <= 0)
				break;
			len += (size_t)k;
		}
	}
	ans[len] = 0;
	close(fd);
	free(req);
	char *nl = strchr(ans, '\n');
	int rc = EXIT_SCRIBE;
	if (!nl) {
		/* it ended while we asked: the bookmark was not taken */
		fprintf(stderr, "scribe: the recording in %s did not answer (it has ended?)\n", dir);
		rc = EXIT_NOT_RECORDING;
	} else if (*nl = 0, !strncmp(ans, "ok ", 3)) {
		printf("%s\n", ans + 3);
		rc = 0;
	} else {
		fprintf(stderr, "scribe: %s\n", !strncmp(ans, "error ", 6) ? ans + 6 : ans);
	}
	free(dir);
	return rc;
}
