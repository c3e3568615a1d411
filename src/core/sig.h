/* sig.h -- signal facts the tracer needs: names, where a signal comes
 * from, and what a task will do with it. */
#ifndef SCRIBE_SIG_H
#define SCRIBE_SIG_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

const char *sig_name(int sig);          /* "SIGSEGV", or "SIG42" */
/* A fault raised by the instruction the task was executing: it happens
 * again by itself when the same instruction runs on replay. */
bool sig_is_fault(const siginfo_t *si);

enum sig_disp { DISP_DEFAULT, DISP_IGNORE, DISP_HANDLER };
enum sig_disp sig_disposition(pid_t tid, int sig);
/* Is `sig` pending for the thread (its own queue or its process')? */
bool sig_pending(pid_t tid, int sig);
/* Would the default action of `sig` kill the process? */
bool sig_default_kills(int sig);
/* Does the default action ignore it (SIGCHLD, SIGWINCH, SIGURG, SIGCONT)? */
bool sig_default_ignores(int sig);
bool sig_is_stop(int sig);

#endif
