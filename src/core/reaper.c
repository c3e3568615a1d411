/* reaper.c -- kill the parked tasks a killed scribe leaves behind (see
 * reaper.h for why).
 *
 * The reaper is a grandchild made by a double fork, so that it is nobody's
 * child inside scribe: the tracer threads' waitpid(-1) must never see it.
 * It keeps only the read end of a pipe whose write end (close-on-exec)
 * only scribe holds, and ignores the signals a terminal sends to the whole
 * group, so it is still there when scribe is SIGKILLed.  The table is a
 * shared anonymous mapping of thread ids, filled and emptied with atomics
 * by the tracer threads.  Before killing a tid the reaper checks, in
 * /proc, that it is blocked in pause() at the scribe page: a tid reused by
 * another process since is left alone. */
#include "core/reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/page.h"
#include "core/util.h"

#define NPARKED 1024

static pid_t *parked;        /* shared with the reaper; NULL: none */

enum { GONE, PARKED, OTHER };

/* Is tid still the task scribe parked: in pause(), at the scribe page? */
static int state_of(pid_t tid)
{
	char buf[256];
	char st = proc_state(proc_text(buf, sizeof(buf), "/proc/%d/stat", (int)tid));
	if (!st || st == 'Z' || st == 'X')
		return GONE;
	if (!*proc_text(buf, sizeof(buf), "/proc/%d/syscall", (int)tid))
		return GONE;
	/* "NR arg1..arg6 sp pc": pause() is 34, and pc is after the page's
	 * syscall instruction. */
	char want[32];
	snprintf(want, sizeof(want), " %#lx\n", SCRIBE_PAGE_SYSCALL_IP);
	size_t len = strlen(buf), wl = strlen(want);
	bool at_page = len >= wl && strcmp(buf + len - wl, want) == 0;
	return strncmp(buf, "34 ", 3) == 0 && at_page ? PARKED : OTHER;
}

/* Scribe is gone: kill what it left parked.  A task seen elsewhere may
 * be on its way into pause() (detached a moment ago): look again for a
 * while before leaving it. */
static _Noreturn void reap(void)
{
	for (int round = 0; round < 50; round++) {
		bool again = false;
		for (int i = 0; i < NPARKED; i++) {
			pid_t tid = __atomic_load_n(&parked[i], __ATOMIC_ACQUIRE);
			if (!tid)
				continue;
			int s = state_of(tid);
			if (s == PARKED)
				kill(tid, SIGKILL);
			if (s == OTHER)
				again = true;
			else
				parked[i] = 0;
		}
		if (!again)
			break;
		struct timespec ts = { 0, 10 * 1000000 };
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

static _Noreturn void reaper_main(int rfd)
{
	prctl(PR_SET_NAME, "scribe-reaper", 0, 0, 0);
	static const int quiet[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU,
	                             SIGPIPE };
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		signal(quiet[i], SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Hold nothing of scribe's open: no trace file, no pipe a reader
	 * waits on the end of. */
	if (rfd != 3) {
		dup2(rfd, 3);
		close(rfd);
	}
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		if (null >= 0 && null != fd)
			dup2(null, fd);
	syscall(SYS_close_range, 4, ~0u, 0);
	char c;
	while (read(3, &c, 1) < 0 && errno == EINTR)
		;
	reap();
}

int reaper_start(void)
{
	if (parked)
		return 0;
	pid_t *table = mmap(NULL, NPARKED * sizeof(pid_t), PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (table == MAP_FAILED)
		return -1;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		munmap(table, NPARKED * sizeof(pid_t));
		return -1;
	}
	parked = table;          /* before the fork: the reaper reads it too */
	pid_t mid = fork();
	if (mid == 0) {
		close(p[1]);
		if (fork() == 0)
			reaper_main(p[0]);
		_exit(0);
	}
	close(p[0]);
	if (mid < 0) {
		parked = NULL;
		close(p[1]);
		munmap(table, NPARKED * sizeof(pid_t));
		return -1;
	}
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	return 0;                /* p[1] stays open until scribe is gone */
}

void reaper_add(pid_t tid)
{
	if (!parked)
		return;
	for (int i = 0; i < NPARKED; i++) {
		pid_t zero = 0;
		if (__atomic_compare_exchange_n(&parked[i], &zero, tid, false, __ATOMIC_RELEASE,
		                                __ATOMIC_RELAXED))
			return;
	}
	/* Full: that many tasks moving at once; this one goes unwatched. */
}

void reaper_remove(pid_t tid)
{
	if (!parked)
		return;
	for (int i = 0; i < NPARKED; i++) {
		pid_t want = tid;
		if (__atomic_compare_exchange_n(&parked[i], &want, 0, false, __ATOMIC_RELEASE,
		                                __ATOMIC_RELAXED))
			return;
	}
}
