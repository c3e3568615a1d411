/* gdb_monitor.c -- `monitor` commands (qRcmd): where the replay is in the
 * trace, going to an event, the process tree. */
#include "gdb/gdb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"scribe monitor commands:\n"
	"  monitor event       where the replay is: the next event of the stopped\n"
	"                      task's stream (index as `scribe dump` numbers it)\n"
	"  monitor when        the same (rr's name)\n"
	"  monitor goto EVENT  run forward to event EVENT (global index)\n"
	"  monitor goto bookmark NAME\n"
	"                      run forward to the bookmark NAME (scribe bookmarks)\n"
	"  monitor processes   the processes of the replay, * the one followed\n"
	"  monitor switch PID  follow process PID (recorded) from here on\n"
	"  monitor checkpoint  name this position (numbered from 1)\n"
	"  monitor restart N   go back (or forward) to checkpoint N; then `flushregs`\n";

/* The event (stream, stream_index) as `scribe dump` prints it, and its
 * global index: false if the trace has none such (the end). */
static bool event_text(struct gdb *g, uint32_t stream, uint64_t sidx, char *out, size_t cap,
                       uint64_t *index)
{
	struct scribe_open_opts oo = { .size = sizeof(oo), .flags = SCRIBE_OPEN_TEXT,
	                               .stream = -1 };
	scribe_trace *tr;
	if (scribe_trace_open(g->o->trace, &oo, &tr) != SCRIBE_OK) {
		scribe_trace_close(tr);
		return false;
	}
	struct scribe_event ev[64];
	int n;
	bool found = false;
	while (!found && (n = scribe_trace_next(tr, ev, 64)) > 0)
		for (int i = 0; i < n && !found; i++)
			if (ev[i].stream == stream && ev[i].stream_index == sidx && !ev[i].sub) {
				snprintf(out, cap, "%s", ev[i].text ? ev[i].text : ev[i].name);
				*index = ev[i].index;
				found = true;
			}
	scribe_trace_close(tr);
	return found;
}

static void where(struct gdb *g)
{
	const struct scribe_stop *s = &g->stop;
	static const char *const why[] = { "", "at the start", "at an event", "paused",
	                                   "over", "diverged", "failed", "at a breakpoint",
	                                   "after a single step", "at a watchpoint" };
	int k = s->reason >= 0 && s->reason < 10 ? s->reason : 0;
	if (s->reason == SCRIBE_STOP_ENDED) {
		gdb_out(g, "the replay is over (the program's status: %d)\n", s->status);
		return;
	}
	char text[512];
	uint64_t index;
	if (s->reason != SCRIBE_STOP_PAUSED && s->reason != SCRIBE_STOP_START &&
	    event_text(g, s->stream, s->stream_index, text, sizeof(text), &index))
		gdb_out(g, "stopped %s in task %d; its next event: %llu (stream %u, %llu): %s\n",
		        why[k], s->tid, (unsigned long long)index, s->stream,
		        (unsigned long long)s->stream_index, text);
	else
		gdb_out(g, "stopped %s%s\n", why[k],
		        s->reason == SCRIBE_STOP_START ? ", before the first event" : "");
}

static void processes(struct gdb *g)
{
	struct scribe_task t[256];
	int n = scribe_replay_tasks(g->r, t, 256);
	for (int i = 0; i < n && i < 256; i++) {
		bool first = true;
		for (int j = 0; j < i; j++)
			first &= t[j].pid != t[i].pid;
		if (!first)
			continue;
		char tids[1024] = "";
		size_t o = 0;
		for (int j = i; j < n && j < 256 && o < sizeof(tids) - 16; j++)
			if (t[j].pid == t[i].pid)
				o += (size_t)snprintf(tids + o, sizeof(tids) - o, " %d", t[j].tid);
		gdb_out(g, "%c process %d (real %d): tasks%s\n", t[i].pid == g->pid ? '*' : ' ',
		        t[i].pid, t[i].real_pid, tids);
	}
}

static void go_to(struct gdb *g, const char *arg)
{
	char *end;
	struct scribe_until u = { .size = sizeof(u) };
	if (!strncmp(arg, "bookmark ", 9)) {
		u.what = SCRIBE_UNTIL_BOOKMARK;
		u.bookmark = arg + 9;
		while (*u.bookmark == ' ')
			u.bookmark++;
	} else {
		u.what = SCRIBE_UNTIL_INDEX;
		u.index = strtoull(arg, &end, 10);
		if (end == arg || *end) {
			gdb_out(g, "scribe: monitor goto: EVENT is an event index (as `scribe "
			        "dump` numbers them), or `bookmark NAME`\n");
			return;
		}
	}
	if (g->over) {
		gdb_out(g, "scribe: the replay is over\n");
		return;
	}
	if (scribe_replay_resume(g->r, &u) != SCRIBE_OK) {
		gdb_out(g, "scribe: %s\n", scribe_replay_error(g->r));
		return;
	}
	g->stop.size = sizeof(g->stop);
	scribe_replay_wait(g->r, -1, &g->stop);
	g->at_start = false;
	if (g->stop.reason == SCRIBE_STOP_ENDED)
		g->over = true;
	where(g);
	gdb_out(g, "(gdb's view of the registers is refreshed at its next stop: "
	        "`stepi` or `maintenance flush register-cache`)\n");
}

/* Follow another process from the current point: gdb's breakpoints move
 * to it (they are per process in the library); gdb sees its threads and
 * registers at its next stop or `flushregs`. */
static void switch_to(struct gdb *g, const char *arg)
{
	char *end;
	long pid = strtol(arg, &end, 10);
	struct scribe_task t[256];
	int n = scribe_replay_tasks(g->r, t, 256);
	bool live = false;
	for (int i = 0; i < n && i < 256 && *end == 0 && end != arg; i++)
		live |= t[i].pid == pid && t[i].state != SCRIBE_TASK_DEAD;
	if (!live) {
		gdb_out(g, "scribe: monitor switch: no live process %s here (monitor processes "
		        "lists them)\n", arg);
		return;
	}
	gdb_follow(g, (int32_t)pid);
	gdb_out(g, "following process %ld (gdb shows it after `flushregs`; its threads: "
	        "`info threads`)\n", pid);
}

void gdb_monitor(struct gdb *g, const char *cmd)
{
	while (*cmd == ' ')
		cmd++;
	if (!strcmp(cmd, "event") || !strcmp(cmd, "when"))
		where(g);
	else if (!strcmp(cmd, "processes"))
		processes(g);
	else if (!strncmp(cmd, "goto ", 5))
		go_to(g, cmd + 5);
	else if (!strncmp(cmd, "switch ", 7))
		switch_to(g, cmd + 7);
	else if (!strcmp(cmd, "checkpoint"))
		gdb_checkpoint(g);
	else if (!strncmp(cmd, "restart ", 8))
		gdb_restart(g, atoi(cmd + 8));
	else if (!strcmp(cmd, "help") || !*cmd)
		gdb_out(g, "%s", help);
	else
		gdb_out(g, "scribe: unknown monitor command '%s' (monitor help lists them)\n", cmd);
	gdb_send(&g->c, "OK", 2);
}
