/* gdb_start.c -- where a debugging session starts: just past the exec of
 * the followed process, or at an event (scribe debug -p / -e).  Shared
 * by scribe debug and the timeline, which goes back there. */
#include "gdb/gdb_server.h"

#include <stdio.h>

int gdb_start(scribe_replay *r, int32_t pid, long long event, char *err, size_t errlen)
{
	struct scribe_until u = { .size = sizeof(u) };
	struct scribe_stop st = { .size = sizeof(st) };
	int rc;
	if (event >= 0) {
		u.what = SCRIBE_UNTIL_INDEX;
		u.index = (uint64_t)event;
	} else {
		/* just past the exec (before it, the process is still the
		 * program that called execve): its next event */
		if (pid) {
			u.what = SCRIBE_UNTIL_KINDS | SCRIBE_UNTIL_TID;
			u.kinds = SCRIBE_KIND_BIT(SCRIBE_EV_EXEC);
			u.tid = pid;
			if ((rc = scribe_replay_run(r, &u, &st)) != SCRIBE_OK)
				goto failed;
			if (st.reason != SCRIBE_STOP_MATCH)
				goto ended;
		}
		u.what = SCRIBE_UNTIL_NEXT | (pid ? SCRIBE_UNTIL_TID : 0);
		u.tid = pid;
	}
	/* a step from the start meets the exec itself first */
	do
		rc = scribe_replay_run(r, &u, &st);
	while (rc == SCRIBE_OK && event < 0 && st.reason == SCRIBE_STOP_MATCH &&
	       st.kind == SCRIBE_EV_EXEC);
	if (rc != SCRIBE_OK)
		goto failed;
	if (st.reason == SCRIBE_STOP_MATCH)
		return SCRIBE_OK;
ended:
	if (event >= 0)
		snprintf(err, errlen, "the replay ended before event %lld", event);
	else
		snprintf(err, errlen, "the replay ended before process %d's exec", pid);
	return SCRIBE_E_ARG;
failed:
	snprintf(err, errlen, "%s", scribe_replay_error(r));
	return rc;
}
