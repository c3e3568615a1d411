/* replayctl-client: a program of libscribe's replay-control API, built
 * against include/scribe.h and build/libscribe.so only
 * (tests/cases/replayctl-c.sh).
 *
 *   replayctl-client write TRACE   run to the first write to fd 1, print
 *                                  the buffer read from the task's memory
 *                                  ("buf=..."), its registers and maps,
 *                                  then run to the end ("status=N")
 *   replayctl-client diverge TRACE run to the end of an edited trace:
 *                                  "diverged stream=S index=I" and the
 *                                  registers of the task still stopped
 *   replayctl-client pause TRACE   run, pause from another thread after
 *                                  200 ms: "paused", "rip=...", then run
 *                                  to the end ("status=N")
 *
 * Failures print "replayctl-client: ..." and exit 125. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scribe.h"

static scribe_replay *rp;

static void die(const char *what)
{
	fprintf(stderr, "replayctl-client: %s: %s\n", what, rp ? scribe_replay_error(rp) : "");
	exit(125);
}

/* The program's output goes to stderr here, so stdout is ours alone. */
static void output(void *ctx, int fd, const void *data, size_t len)
{
	(void)ctx;
	fprintf(stderr, "[fd %d] %.*s", fd, (int)len, (const char *)data);
}

static int32_t first_tid(void)
{
	struct scribe_task t[16];
	int n = scribe_replay_tasks(rp, t, 16);
	if (n <= 0)
		die("tasks");
	for (int i = 0; i < n && i < 16; i++)
		printf("task tid=%d pid=%d real=%d stream=%u state=%d holder=%d\n", t[i].tid,
		       t[i].pid, t[i].real_tid, t[i].stream, t[i].state, t[i].holder);
	return t[0].tid;
}

static int do_write(void)
{
	struct scribe_until u = { .size = sizeof(u), .what = SCRIBE_UNTIL_KINDS | SCRIBE_UNTIL_NR,
	                          .kinds = SCRIBE_KIND_BIT(SCRIBE_EV_SYSCALL), .nr = 1 };
	struct scribe_stop st = { .size = sizeof(st) };
	if (scribe_replay_run(rp, &u, &st) != SCRIBE_OK || st.reason != SCRIBE_STOP_MATCH)
		die("run to write");
	printf("stop stream=%u index=%llu tid=%d nr=%d\n", st.stream,
	       (unsigned long long)st.stream_index, st.tid, st.nr);
	first_tid();
	struct scribe_regs regs;
	if (scribe_replay_regs(rp, st.tid, &regs) != SCRIBE_OK)
		die("regs");
	printf("orig_rax=%llu rdi=%llu rdx=%llu fs_base_set=%d\n",
	       (unsigned long long)regs.orig_rax, (unsigned long long)regs.rdi,
	       (unsigned long long)regs.rdx, regs.fs_base != 0);
	char buf[256] = "";
	long n = scribe_replay_read(rp, st.tid, regs.rsi, buf, regs.rdx < 255 ? regs.rdx : 255);
	if (n < 0)
		die("read");
	printf("buf=%.*s", (int)n, buf);
	unsigned char xs[4096];
	long xl = scribe_replay_xsave(rp, st.tid, xs, sizeof(xs));
	if (xl < 512)
		die("xsave");
	printf("xsave=%s\n", xl >= 512 ? "ok" : "short");
	char maps[65536];
	long ml = scribe_replay_maps(rp, st.tid, maps, sizeof(maps));
	if (ml <= 0)
		die("maps");
	printf("maps_has_libc=%d\n", strstr(maps, "libc") != NULL);
	if (scribe_replay_run(rp, NULL, &st) != SCRIBE_OK || st.reason != SCRIBE_STOP_ENDED)
		die("run to the end");
	printf("status=%d\n", st.status);
	return 0;
}

static int do_diverge(void)
{
	struct scribe_stop st = { .size = sizeof(st) };
	int rc = scribe_replay_run(rp, NULL, &st);
	if (rc != SCRIBE_E_DIVERGED || st.reason != SCRIBE_STOP_DIVERGED)
		die("expected a divergence");
	printf("diverged stream=%u index=%llu tid=%d\n", st.stream,
	       (unsigned long long)st.stream_index, st.tid);
	printf("expected=%s\nmessage=%s\n", st.expected, st.message);
	struct scribe_regs regs;
	if (scribe_replay_regs(rp, st.tid, &regs) != SCRIBE_OK)
		die("regs after the divergence");
	printf("inspectable orig_rax=%llu\n", (unsigned long long)regs.orig_rax);
	if (scribe_replay_run(rp, NULL, &st) != SCRIBE_E_STATE)
		die("a diverged session must not go on");
	return 0;
}

static void *pauser(void *arg)
{
	(void)arg;
	usleep(200000);
	scribe_replay_pause(rp);
	return NULL;
}

static int do_pause(void)
{
	pthread_t th;
	pthread_create(&th, NULL, pauser, NULL);
	struct scribe_stop st = { .size = sizeof(st) };
	int rc = scribe_replay_run(rp, NULL, &st);
	pthread_join(th, NULL);
	if (rc != SCRIBE_OK)
		die("run");
	if (st.reason != SCRIBE_STOP_PAUSED) {
		printf("not paused: reason %d\n", st.reason);
		return 1;
	}
	printf("paused\n");
	int32_t tid = first_tid();
	struct scribe_regs regs;
	if (scribe_replay_regs(rp, tid, &regs) != SCRIBE_OK)
		die("regs at the pause");
	printf("rip=%#llx\n", (unsigned long long)regs.rip);
	/* and it goes on from there as if nothing happened */
	if (scribe_replay_run(rp, NULL, &st) != SCRIBE_OK || st.reason != SCRIBE_STOP_ENDED)
		die("run to the end after the pause");
	printf("status=%d\n", st.status);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: replayctl-client write|diverge|pause TRACE\n");
		return 2;
	}
	struct scribe_replay_opts o = { .size = sizeof(o), .output = output };
	if (scribe_replay_open(argv[2], &o, &rp) != SCRIBE_OK)
		die("open");
	int rc = !strcmp(argv[1], "write") ? do_write() : !strcmp(argv[1], "diverge") ?
	         do_diverge() : !strcmp(argv[1], "pause") ? do_pause() : 2;
	scribe_replay_close(rp);
	return rc;
}
