/* decode.h -- human-readable, strace-like rendering of events. */
#ifndef SCRIBE_DECODE_H
#define SCRIBE_DECODE_H

#include <stdio.h>

#include "trace/event.h"

void sys_print_call(FILE *f, const struct ev_syscall *s);
void ev_print(FILE *f, const struct event *ev);

#endif
