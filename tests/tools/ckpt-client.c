/* ckpt-client: checkpoints through libscribe's C API only (include/
 * scribe.h, build/libscribe.so; tests/cases/ckpt-c.sh).
 *
 *   ckpt-client steps TRACE   run to the 6th write, checkpoint, then three
 *                             times: run 6 writes further, printing at each
 *                             "runN stream= index= tid= rip= line=" (the
 *                             line read from memory) and "runN out=" (the
 *                             output meanwhile), then restore; at last run
 *                             to the end ("status=N")
 *   ckpt-client pause TRACE   run, pause after 200 ms (the task computes
 *                             with no event), checkpoint, then twice: run
 *                             to the next write and print its line
 *                             ("runN line=..."), restore; then "status=N"
 *
 * Failures print "ckpt-client: ..." and exit 125. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scribe.h"

static scribe_replay *rp;
static char out[8192];
static size_t nout;

static void die(const char *what)
{
	fprintf(stderr, "ckpt-client: %s: %s\n", what, rp ? scribe_replay_error(rp) : "");
	exit(125);
}

static void output(void *ctx, int fd, const void *data, size_t len)
{
	(void)ctx;
	(void)fd;
	if (nout + len < sizeof(out)) {
		memcpy(out + nout, data, len);
		nout += len;
	}
}

/* Run to the next write; print where, and the line it is about to write. */
static void to_write(const char *run)
{
	struct scribe_until u = { .size = sizeof(u), .what = SCRIBE_UNTIL_KINDS | SCRIBE_UNTIL_NR,
	                          .kinds = SCRIBE_KIND_BIT(SCRIBE_EV_SYSCALL), .nr = 1 };
	struct scribe_stop st = { .size = sizeof(st) };
	if (scribe_replay_run(rp, &u, &st) != SCRIBE_OK || st.reason != SCRIBE_STOP_MATCH)
		die("run to a write");
	struct scribe_regs g;
	char line[256] = "";
	if (scribe_replay_regs(rp, st.tid, &g) != SCRIBE_OK)
		die("regs");
	long n = scribe_replay_read(rp, st.tid, g.rsi, line, g.rdx < 255 ? g.rdx : 255);
	if (n < 0)
		die("read");
	line[n > 0 && line[n - 1] == '\n' ? n - 1 : n] = 0;
	printf("%s stream=%u index=%llu tid=%d rip=%llx rsp=%llx line=%s\n", run, st.stream,
	       (unsigned long long)st.stream_index, st.tid, (unsigned long long)g.rip,
	       (unsigned long long)g.rsp, line);
}

static void to_end(void)
{
	struct scribe_stop st = { .size = sizeof(st) };
	if (scribe_replay_run(rp, NULL, &st) != SCRIBE_OK || st.reason != SCRIBE_STOP_ENDED)
		die("run to the end");
	printf("status=%d\n", st.status);
}

static void restore(scribe_checkpoint *ck)
{
	if (scribe_replay_restore(rp, ck) != SCRIBE_OK)
		die("restore");
	struct scribe_stop a = { .size = sizeof(a) }, b = { .size = sizeof(b) };
	if (scribe_checkpoint_stop(ck, &a) != SCRIBE_OK ||
	    scribe_replay_wait(rp, 0, &b) != SCRIBE_OK || a.stream_index != b.stream_index ||
	    a.reason != b.reason)
		die("the restored replay is not at the checkpoint's stop");
}

static void steps(void)
{
	for (int i = 0; i < 6; i++)
		to_write("before");
	scribe_checkpoint *ck;
	if (scribe_replay_checkpoint(rp, &ck) != SCRIBE_OK)
		die("checkpoint");
	for (int r = 1; r <= 3; r++) {
		char run[16];
		snprintf(run, sizeof(run), "run%d", r);
		nout = 0;
		for (int i = 0; i < 6; i++)
			to_write(run);
		for (size_t k = 0; k < nout; k++)
			if (out[k] == '\n')
				out[k] = ';';
		printf("%s out=%.*s\n", run, (int)nout, out);
		restore(ck);
	}
	scribe_checkpoint_free(ck);
	to_end();
}

static void pause_ck(void)
{
	if (scribe_replay_resume(rp, NULL) != SCRIBE_OK)
		die("resume");
	usleep(200000);
	scribe_replay_pause(rp);
	struct scribe_stop st = { .size = sizeof(st) };
	if (scribe_replay_wait(rp, -1, &st) != SCRIBE_OK || st.reason != SCRIBE_STOP_PAUSED)
		die("pause");
	scribe_checkpoint *ck;
	if (scribe_replay_checkpoint(rp, &ck) != SCRIBE_OK)
		die("checkpoint");
	to_write("run1");
	restore(ck);
	to_write("run2");
	/* a checkpoint belongs to its session */
	scribe_replay *other;
	if (scribe_replay_open(getenv("CKPT_TRACE"), NULL, &other) != SCRIBE_OK)
		die("open another");
	if (scribe_replay_restore(other, ck) != SCRIBE_E_ARG)
		die("another session restored it");
	scribe_replay_close(other);
	to_end();                 /* the checkpoint is freed by the close */
}

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage: ckpt-client steps|pause TRACE");
	struct scribe_replay_opts o = { .size = sizeof(o), .output = output };
	if (scribe_replay_open(argv[2], &o, &rp) != SCRIBE_OK)
		die("open");
	setenv("CKPT_TRACE", argv[2], 1);
	if (strcmp(argv[1], "steps") == 0)
		steps();
	else if (strcmp(argv[1], "pause") == 0)
		pause_ck();
	else
		die("no such command");
	scribe_replay_close(rp);
	return 0;
}
