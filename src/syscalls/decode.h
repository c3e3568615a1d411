/* decode.h -- human-readable, strace-like rendering of events. */
#ifndef SCRIBE_DECODE_H
#define SCRIBE_DECODE_H

#include <stdbool.h>
#include <stdio.h>

#include "preload/sbuf.h"
#include "trace/event.h"

void sys_print_call(FILE *f, const struct ev_syscall *s);
void ev_print(FILE *f, const struct event *ev);

/* Where a buffered call's record (sbuf.h) keeps what: the arguments of a
 * re-executed call (nargs of them, 8 bytes each), or the path of a call
 * that has one, then from data_off the bytes the call wrote; read_data:
 * those bytes are data read (shown like a traced read's). */
struct sb_layout {
	int nargs;
	bool has_path;
	size_t path_len;
	size_t data_off;
	bool read_data;
};
void sys_rec_layout(const struct sb_rec *rec, const uint8_t *payload, size_t plen,
                    struct sb_layout *l);
/* One buffered call's record, on one line. */
void sys_print_record(FILE *f, const struct sb_rec *rec, const uint8_t *payload, size_t plen);

#endif
