/* librec-client.c -- one process, three sessions at once: a recording of
 * a program and two replays of another trace, each on a thread of its
 * own, all through include/scribe.h; then a replay of what was recorded.
 *
 *   librec-client NEW OLD OLD_OUT PROG [ARGS...]
 *
 * records PROG into the directory NEW (its stdout to a file, by
 * SCRIBE_RECORD_STDIO) while two threads replay the trace OLD, whose
 * recorded stdout is the file OLD_OUT, with output callbacks.  Checks:
 * the recording's status is 0; each replay ends with status 0 and its
 * callback got exactly OLD_OUT; a replay of NEW afterwards prints exactly
 * what the recording printed.  One line per check on stdout; exit 0 when
 * all passed, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scribe.h"

struct out {
	pthread_mutex_t mu;
	char *p;
	size_t len;
};

static void collect(void *ctx, int fd, const void *data, size_t len)
{
	struct out *o = ctx;
	if (fd != 1)
		return;
	pthread_mutex_lock(&o->mu);
	char *n = realloc(o->p, o->len + len + 1);
	if (n) {
		memcpy(n + o->len, data, len);
		o->p = n;
		o->len += len;
		n[o->len] = 0;
	}
	pthread_mutex_unlock(&o->mu);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *p = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(p, cap);
		}
		size_t n = fread(p + *len, 1, cap - *len - 1, f);
		if (!n)
			break;
		*len += n;
	}
	p[*len] = 0;
	fclose(f);
	return p;
}

static pthread_barrier_t start;

struct job {
	const char *trace;            /* replay: the trace */
	const char *const *argv;      /* record: the program */
	int outfd;                    /* record: its stdout */
	struct out out;
	int rc, status;
	char msg[512];
};

static void *replay_job(void *arg)
{
	struct job *j = arg;
	struct scribe_replay_opts o = { .size = sizeof(o), .output = collect,
	                                .output_ctx = &j->out };
	pthread_barrier_wait(&start);
	scribe_replay *r;
	j->rc = scribe_replay_open(j->trace, &o, &r);
	struct scribe_stop st = { .size = sizeof(st) };
	if (j->rc == SCRIBE_OK)
		j->rc = scribe_replay_run(r, NULL, &st);
	j->status = st.status;
	if (j->rc != SCRIBE_OK || st.reason != SCRIBE_STOP_ENDED)
		snprintf(j->msg, sizeof(j->msg), "rc %d reason %d: %s", j->rc, st.reason,
		         r ? scribe_replay_error(r) : "no memory");
	scribe_replay_close(r);
	return NULL;
}

static void *record_job(void *arg)
{
	struct job *j = arg;
	int null = open("/dev/null", O_RDWR);
	/* the suite's no-buffer mode, as `scribe record` reads it */
	const char *nb = getenv("SCRIBE_NO_BUFFER");
	uint32_t nobuf = nb && *nb && strcmp(nb, "0") ? SCRIBE_RECORD_NO_BUFFER : 0;
	struct scribe_record_opts o = { .size = sizeof(o), .dir = j->trace,
	                                .flags = SCRIBE_RECORD_STDIO | nobuf,
	                                .stdio = { null, j->outfd, 2 } };
	pthread_barrier_wait(&start);
	scribe_record *rec;
	j->rc = scribe_record_open(j->argv, &o, &rec);
	if (j->rc == SCRIBE_OK) {
		/* wait in slices, as a caller with other things to do would */
		while ((j->rc = scribe_record_wait(rec, 50, &j->status)) == SCRIBE_E_AGAIN)
			;
	}
	if (j->rc != SCRIBE_OK)
		snprintf(j->msg, sizeof(j->msg), "rc %d: %s", j->rc,
		         rec ? scribe_record_error(rec) : "no memory");
	scribe_record_close(rec);
	close(null);
	return NULL;
}

static int failures;

static void check(int ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, detail && *detail ? ": " : "",
	       detail ? detail : "");
	if (!ok)
		failures++;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: librec-client NEW OLD OLD_OUT PROG [ARGS...]\n");
		return 2;
	}
	const char *newt = argv[1], *old = argv[2];
	size_t want_len;
	char *want = slurp(argv[3], &want_len);
	if (!want) {
		fprintf(stderr, "librec-client: %s: %s\n", argv[3], strerror(errno));
		return 2;
	}
	char outpath[4096];
	snprintf(outpath, sizeof(outpath), "%s.out", newt);
	int outfd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (outfd < 0) {
		fprintf(stderr, "librec-client: %s: %s\n", outpath, strerror(errno));
		return 2;
	}

	struct job rec = { .trace = newt, .argv = (const char *const *)argv + 4, .outfd = outfd };
	struct job rp[2] = { { .trace = old }, { .trace = old } };
	pthread_mutex_init(&rp[0].out.mu, NULL);
	pthread_mutex_init(&rp[1].out.mu, NULL);
	pthread_barrier_init(&start, NULL, 3);
	pthread_t th[3];
	pthread_create(&th[0], NULL, record_job, &rec);
	pthread_create(&th[1], NULL, replay_job, &rp[0]);
	pthread_create(&th[2], NULL, replay_job, &rp[1]);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	close(outfd);

	char d[600];
	snprintf(d, sizeof(d), "rc=%d status=%d %s", rec.rc, rec.status, rec.msg);
	check(rec.rc == SCRIBE_OK && rec.status == 0, "record", d);
	for (int i = 0; i < 2; i++) {
		snprintf(d, sizeof(d), "rc=%d status=%d %s", rp[i].rc, rp[i].status, rp[i].msg);
		check(rp[i].rc == SCRIBE_OK && rp[i].status == 0, i ? "replay2" : "replay1", d);
		int same = rp[i].out.len == want_len && !memcmp(rp[i].out.p, want, want_len);
		check(same, i ? "replay2-output" : "replay1-output", same ? "" : rp[i].out.p);
	}

	/* What was recorded replays, and prints what the recording printed. */
	size_t got_len;
	char *got = slurp(outpath, &got_len);
	check(got && got_len > 0, "record-output", got && got_len ? "" : "nothing");
	struct job again = { .trace = newt };
	pthread_mutex_init(&again.out.mu, NULL);
	pthread_barrier_destroy(&start);
	pthread_barrier_init(&start, NULL, 1);
	replay_job(&again);
	snprintf(d, sizeof(d), "rc=%d status=%d %s", again.rc, again.status, again.msg);
	check(again.rc == SCRIBE_OK && again.status == 0, "replay-new", d);
	int same = got && again.out.len == got_len && !memcmp(again.out.p, got, got_len);
	check(same, "replay-new-output", same ? "" : again.out.p);
	free(got);
	free(want);
	free(rp[0].out.p);
	free(rp[1].out.p);
	free(again.out.p);
	return failures ? 1 : 0;
}
