/* gdb_server.c -- the gdb remote protocol's commands on a replay session
 * (gdb_server.h).
 *
 * All-stop mode, one process followed (its recorded pid), threads named
 * by their recorded tids.  Breakpoints are the library's (int3 for Z0,
 * debug registers for Z1-Z4): gdb never writes the program's memory, and
 * every write it tries (M, X, P, G) is refused, since the replay must stay
 * what was recorded. */
#include "gdb/gdb_int.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gdb/gdb_regs.h"

#define REFUSED "E.scribe: the replay cannot be changed: its registers and memory " \
                "are those of the recording"

static const char supported[] =
	"PacketSize=4000;QStartNoAckMode+;swbreak+;hwbreak+;qXfer:features:read+;"
	"qXfer:auxv:read+;qXfer:exec-file:read+;vContSupported+;ReverseContinue+;ReverseStep+";

static void reply(struct gdb *g, const char *s) { gdb_send(&g->c, s, strlen(s)); }

void gdb_out(struct gdb *g, const char *fmt, ...)
{
	char text[2048], hex[4100];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	hex[0] = 'O';
	gdb_hex(hex + 1, text, strlen(text));
	reply(g, hex);
}

/* ---- threads ---- */

static int tasks(struct gdb *g, struct scribe_task *buf, int n)
{
	struct scribe_task all[256];
	int k = scribe_replay_tasks(g->r, all, 256), m = 0;
	for (int i = 0; i < k && i < 256 && m < n; i++)
		if (all[i].pid == g->pid && all[i].state != SCRIBE_TASK_DEAD)
			buf[m++] = all[i];
	return m;
}

int32_t gdb_task(struct gdb *g)
{
	struct scribe_task t[256];
	int n = tasks(g, t, 256);
	for (int i = 0; i < n; i++)
		if (t[i].tid == g->gtid)
			return g->gtid;
	return n ? t[0].tid : 0;
}

bool gdb_alive(struct gdb *g, int32_t tid)
{
	struct scribe_task t[256];
	int n = tasks(g, t, 256);
	for (int i = 0; i < n; i++)
		if (t[i].tid == tid)
			return true;
	return false;
}

/* A thread id from a packet: hex, "-1" (all) or "0" (any). */
static int32_t parse_tid(const char *s)
{
	if (s[0] == 'p') {                    /* multiprocess form p PID.TID */
		const char *dot = strchr(s, '.');
		s = dot ? dot + 1 : s + 1;
	}
	if (s[0] == '-')
		return -1;
	return (int32_t)strtol(s, NULL, 16);
}

/* ---- stops ---- */

static const struct gdb_bp *hw_bp(struct gdb *g, uint64_t addr, bool watch)
{
	for (int i = 0; i < g->nbp; i++)
		if (g->bp[i].addr == addr && (watch ? g->bp[i].z >= 2 : g->bp[i].z == 1))
			return &g->bp[i];
	return NULL;
}

/* gdb's number for a Linux signal (the remote protocol's are gdb's own;
 * 1-15 are the same but for 7 and 10). */
static int gdb_signal(int sig)
{
	switch (sig) {
	case SIGBUS: return 10;
	case SIGUSR1: return 30;
	case SIGUSR2: return 31;
	case SIGCHLD: return 20;
	case SIGSTKFLT: return 143;
	default: return sig >= 1 && sig <= 15 ? sig : 143;   /* GDB_SIGNAL_UNKNOWN */
	}
}

void gdb_stop_reply(struct gdb *g)
{
	const struct scribe_stop *s = &g->stop;
	if (s->reason == SCRIBE_STOP_ENDED) {
		g->over = true;
		if (WIFSIGNALED(s->status))
			gdb_sendf(&g->c, "X%02x", WTERMSIG(s->status));
		else
			gdb_sendf(&g->c, "W%02x", WEXITSTATUS(s->status));
		return;
	}
	if (s->reason == SCRIBE_STOP_DIVERGED || s->reason == SCRIBE_STOP_ERROR) {
		g->over = true;
		gdb_out(g, "scribe: %s\n", s->message ? s->message : "the replay failed");
	}
	if (gdb_alive(g, s->tid))
		g->gtid = s->tid;
	int32_t tid = gdb_task(g);
	g->gtid = tid;
	g->stop_tid = tid;
	char why[64] = "";
	if (s->reason == SCRIBE_STOP_BREAK && s->tid == tid)
		snprintf(why, sizeof(why), "%s:;", hw_bp(g, s->addr, false) ? "hwbreak" : "swbreak");
	if (s->reason == SCRIBE_STOP_WATCH && s->tid == tid) {
		const struct gdb_bp *b = hw_bp(g, s->addr, true);
		snprintf(why, sizeof(why), "%s:%" PRIx64 ";",
		         b && b->z == 3 ? "rwatch" : b && b->z == 4 ? "awatch" : "watch", s->addr);
	}
	int sig = s->reason == SCRIBE_STOP_PAUSED ? 2 : 5;
	if (s->reason == SCRIBE_STOP_MATCH && s->kind == SCRIBE_EV_SIGNAL && s->tid == tid)
		sig = gdb_signal(s->nr);
	gdb_sendf(&g->c, "T%02xthread:%x;%s", sig, (unsigned)tid, why);
}

void gdb_run(struct gdb *g, int32_t step, const struct scribe_until *until)
{
	if (g->over) {
		gdb_out(g, "scribe: the replay is over\n");
		gdb_stop_reply(g);
		return;
	}
	if (step)
		scribe_replay_step(g->r, step);
	g->at_start = false;
	g->c.interrupted = false;
	/* the program's signals stop it, as under gdb (a fatal one: before
	 * it kills) */
	struct scribe_until sigs = { .size = sizeof(sigs), .what = SCRIBE_UNTIL_KINDS,
	                             .kinds = SCRIBE_KIND_BIT(SCRIBE_EV_SIGNAL) };
	if (!until)
		until = &sigs;
again:
	if (scribe_replay_resume(g->r, until) != SCRIBE_OK) {
		gdb_out(g, "scribe: %s\n", scribe_replay_error(g->r));
		gdb_stop_reply(g);
		return;
	}
	bool paused = false;
	for (;;) {
		g->stop.size = sizeof(g->stop);
		int rc = scribe_replay_wait(g->r, 50, &g->stop);
		if (rc != SCRIBE_E_AGAIN)
			break;
		/* gdb sends nothing but 0x03 while the target runs */
		if (gdb_recv(&g->c, 0) == GDB_EOF) {
			g->quit = true;
			scribe_replay_pause(g->r);
			scribe_replay_wait(g->r, -1, &g->stop);
			return;
		}
		if (g->c.interrupted && !paused) {
			scribe_replay_pause(g->r);
			paused = true;
		}
	}
	if (until == &sigs && g->stop.reason == SCRIBE_STOP_MATCH && !gdb_alive(g, g->stop.tid))
		goto again;            /* another process's signal */
	gdb_stop_reply(g);
}

/* ---- registers and memory ---- */

static size_t task_regs(struct gdb *g, int32_t tid, struct scribe_regs *regs, uint8_t *xs,
                        size_t cap)
{
	if (scribe_replay_regs(g->r, tid, regs) != SCRIBE_OK)
		return (size_t)-1;
	long n = scribe_replay_xsave(g->r, tid, xs, cap);
	return n < 0 ? 0 : (size_t)n;
}

static void read_regs(struct gdb *g, int only)
{
	struct scribe_regs regs;
	static uint8_t xs[16384];
	size_t xlen = task_regs(g, gdb_task(g), &regs, xs, sizeof(xs));
	if (xlen == (size_t)-1) {
		reply(g, "E03");
		return;
	}
	char out[GDB_NREGS * 32 + 1];
	size_t o = 0;
	for (int n = only < 0 ? 0 : only; n < (only < 0 ? GDB_NREGS : only + 1); n++) {
		uint8_t v[16];
		size_t len = gdb_reg(&regs, xs, xlen, n, v);
		if (!len) {
			reply(g, "E00");
			return;
		}
		gdb_hex(out + o, v, len);
		o += 2 * len;
	}
	reply(g, out);
}

static void read_mem(struct gdb *g, const char *args)
{
	char *end;
	uint64_t addr = strtoull(args, &end, 16);
	size_t len = *end == ',' ? strtoul(end + 1, NULL, 16) : 0;
	if (len > 1900)
		len = 1900;
	uint8_t buf[1900];
	long n = scribe_replay_read(g->r, gdb_task(g), addr, buf, len);
	if (n <= 0 && len) {
		reply(g, "E14");
		return;
	}
	char out[3801];
	gdb_hex(out, buf, (size_t)(n < 0 ? 0 : n));
	reply(g, out);
}

/* ---- breakpoints ---- */

static void breakpoint(struct gdb *g, bool add, const char *args)
{
	int z = args[0] - '0';
	char *end;
	uint64_t addr = strtoull(args + 2, &end, 16);
	uint32_t len = *end == ',' ? (uint32_t)strtoul(end + 1, NULL, 16) : 1;
	static const int kind[5] = { SCRIBE_BREAK_SOFT, SCRIBE_BREAK_EXEC, SCRIBE_BREAK_WRITE,
	                             SCRIBE_BREAK_ACCESS, SCRIBE_BREAK_ACCESS };
	if (z < 0 || z > 4) {
		reply(g, "");
		return;
	}
	if (z <= 1)
		len = 1;                   /* gdb's "kind": the int3's size */
	int rc = add ? scribe_replay_break(g->r, kind[z], addr, len, g->pid)
	             : scribe_replay_unbreak(g->r, kind[z], addr, len);
	if (rc != SCRIBE_OK) {
		gdb_sendf(&g->c, "E.scribe: %s", scribe_replay_error(g->r));
		return;
	}
	/* kept to name stops, and to set them again in a new session */
	if (add && g->nbp < GDB_MAXBP)
		g->bp[g->nbp++] = (struct gdb_bp){ .z = z, .addr = addr, .len = len };
	for (int i = 0; !add && i < g->nbp; i++)
		if (g->bp[i].z == z && g->bp[i].addr == addr) {
			g->bp[i] = g->bp[--g->nbp];
			break;
		}
	reply(g, "OK");
}

/* ---- qXfer ---- */

static void xfer_reply(struct gdb *g, const char *data, size_t total, const char *range)
{
	char *end;
	size_t off = strtoul(range, &end, 16);
	size_t len = *end == ',' ? strtoul(end + 1, NULL, 16) : 0;
	if (off >= total) {
		reply(g, "l");
		return;
	}
	size_t n = total - off < len ? total - off : len;
	char *out = malloc(n + 1);
	if (!out) {
		reply(g, "E0c");
		return;
	}
	out[0] = off + n < total ? 'm' : 'l';
	memcpy(out + 1, data + off, n);
	gdb_send(&g->c, out, n + 1);
	free(out);
}

static pid_t real_pid(struct gdb *g)
{
	struct scribe_task t[256];
	int n = tasks(g, t, 256);
	return n ? t[0].real_pid : 0;
}

static void xfer(struct gdb *g, const char *args)
{
	if (!strncmp(args, "features:read:target.xml:", 25)) {
		xfer_reply(g, gdb_target_xml, strlen(gdb_target_xml), args + 25);
		return;
	}
	char path[64];
	if (!strncmp(args, "auxv:read::", 11)) {
		snprintf(path, sizeof(path), "/proc/%d/auxv", real_pid(g));
		char buf[4096];
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (fd >= 0)
			close(fd);
		if (n < 0)
			reply(g, "E01");
		else
			xfer_reply(g, buf, (size_t)n, args + 11);
		return;
	}
	if (!strncmp(args, "exec-file:read:", 15)) {
		/* the trace's own copy of the program, which the replay runs */
		const char *range = strchr(args + 15, ':');
		snprintf(path, sizeof(path), "/proc/%d/exe", real_pid(g));
		char exe[4096];
		ssize_t n = readlink(path, exe, sizeof(exe) - 1);
		if (n < 0 || !range)
			reply(g, "E01");
		else
			xfer_reply(g, exe, (size_t)n, range + 1);
		return;
	}
	reply(g, "");
}

/* ---- vCont ---- */

static void vcont(struct gdb *g, const char *args)
{
	int32_t step = 0;
	bool any = false;
	/* ;ACTION[:TID]... : a step of one thread, the rest continue (the
	 * replay cannot hold some threads back: the trace says who runs) */
	for (const char *p = args; p && *p == ';'; p = strchr(p + 1, ';')) {
		char a = p[1];
		const char *colon = strchr(p + 1, ':'), *next = strchr(p + 1, ';');
		int32_t tid = colon && (!next || colon < next) ? parse_tid(colon + 1) : -1;
		if (a == 's' || a == 'S') {
			step = tid > 0 ? tid : gdb_task(g);
			any = true;
		} else if (a == 'c' || a == 'C') {
			any = true;
		} else if (a == 't') {
			any = true;           /* stopped already, in all-stop */
		}
	}
	if (!any) {
		reply(g, "E01");
		return;
	}
	gdb_run(g, step, NULL);
}

/* ---- the loop ---- */

static void query(struct gdb *g, const char *p)
{
	if (!strncmp(p, "qSupported", 10)) {
		reply(g, supported);
	} else if (!strcmp(p, "qfThreadInfo")) {
		struct scribe_task t[256];
		int n = tasks(g, t, 256);
		char out[4096] = "m";
		size_t o = 1;
		for (int i = 0; i < n && o < sizeof(out) - 16; i++)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%x", i ? "," : "",
			                      (unsigned)t[i].tid);
		reply(g, n ? out : "l");
	} else if (!strcmp(p, "qsThreadInfo")) {
		reply(g, "l");
	} else if (!strcmp(p, "qC")) {
		gdb_sendf(&g->c, "QC%x", (unsigned)gdb_task(g));
	} else if (!strncmp(p, "qAttached", 9)) {
		reply(g, "1");
	} else if (!strncmp(p, "qXfer:", 6)) {
		xfer(g, p + 6);
	} else if (!strncmp(p, "qRcmd,", 6)) {
		char cmd[1024];
		size_t n = gdb_unhex(cmd, p + 6, sizeof(cmd) - 1);
		cmd[n] = 0;
		gdb_monitor(g, cmd);
	} else if (!strncmp(p, "qSymbol", 7)) {
		reply(g, "OK");
	} else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
		char text[64], hex[129];
		snprintf(text, sizeof(text), "recorded tid %d", parse_tid(p + 17));
		gdb_hex(hex, text, strlen(text));
		reply(g, hex);
	} else {
		reply(g, "");
	}
}

static void command(struct gdb *g, char *p)
{
	switch (p[0]) {
	case '?':
		gdb_stop_reply(g);
		return;
	case 'H':
		if (p[1] == 'g' && parse_tid(p + 2) > 0)
			g->gtid = parse_tid(p + 2);
		reply(g, "OK");
		return;
	case 'T':
		reply(g, gdb_alive(g, parse_tid(p + 1)) ? "OK" : "E01");
		return;
	case 'g':
		read_regs(g, -1);
		return;
	case 'p':
		read_regs(g, (int)strtol(p + 1, NULL, 16));
		return;
	case 'm':
		read_mem(g, p + 1);
		return;
	case 'G': case 'P': case 'M': case 'X':
		/* gdb shows its own words for a refused memory write: say
		 * why on the terminal too */
		fprintf(stderr, "scribe: refused gdb's %s write: a replay cannot be changed\n",
		        p[0] == 'M' || p[0] == 'X' ? "memory" : "register");
		reply(g, REFUSED);
		return;
	case 'Z': case 'z':
		breakpoint(g, p[0] == 'Z', p + 1);
		return;
	case 'c': case 'C':
		gdb_run(g, 0, NULL);
		return;
	case 'b':
		if (p[1] == 'c')
			gdb_reverse_continue(g);
		else if (p[1] == 's')
			gdb_reverse_step(g);
		else
			reply(g, "");
		return;
	case 's': case 'S':
		gdb_run(g, gdb_task(g), NULL);
		return;
	case 'D':
		reply(g, "OK");
		g->quit = true;
		return;
	case 'k':
		g->quit = true;
		return;
	case 'q':
		query(g, p);
		return;
	case 'Q':
		if (!strcmp(p, "QStartNoAckMode")) {
			reply(g, "OK");
			g->c.noack = true;
		} else {
			reply(g, "");
		}
		return;
	case 'v':
		if (!strcmp(p, "vCont?"))
			reply(g, "vCont;c;C;s;S;t");
		else if (!strncmp(p, "vCont", 5))
			vcont(g, p + 5);
		else if (!strncmp(p, "vFile:", 6))
			gdb_vfile(g, p + 6);
		else if (!strncmp(p, "vKill", 5)) {
			reply(g, "OK");
			g->quit = true;
		} else
			reply(g, "");
		return;
	default:
		reply(g, "");
	}
}

int gdb_serve(scribe_replay **r, int fd, const struct gdb_server_opts *o)
{
	struct gdb *g = calloc(1, sizeof(*g));
	if (!g)
		return -1;
	g->r = *r;
	g->o = o;
	g->c.fd = fd;
	g->pid = o->pid;
	for (int i = 0; i < GDB_MAXFD; i++)
		g->fds[i] = -1;
	g->stop.size = sizeof(g->stop);
	scribe_replay_wait(g->r, 0, &g->stop);
	g->at_start = true;
	if (g->stop.reason == SCRIBE_STOP_ENDED)
		g->over = true;
	int rc = 0;
	while (!g->quit) {
		int got = gdb_recv(&g->c, -1);
		if (got == GDB_EOF) {
			rc = -1;
			break;
		}
		if (got == GDB_PKT) {
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			command(g, g->c.pkt);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (getenv("SCRIBE_GDB_TRACE"))
				fprintf(stderr, "gdb: %.40s %.3f ms\n", g->c.pkt,
				        (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
		}
	}
	for (int i = 0; i < GDB_MAXFD; i++)
		if (g->fds[i] >= 0)
			close(g->fds[i]);
	gdb_copies_free(g->copies);
	*r = g->r;
	free(g);
	return rc;
}
