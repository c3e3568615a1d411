/* page.c -- map the scribe page and move tasks between tracer threads. */
#include "core/page.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "core/loader.h"
#include "core/ptrace.h"
#include "core/reaper.h"
#include "core/util.h"
#include "preload/sbuf.h"

/* At 0: syscall; jmp -4 (back to the syscall): pause() again if a signal
 * ever interrupts it while no tracer is attached.  At 4: syscall; ret, the
 * preload library's untraced calls (SB_UNTRACED_CALL).  At 8: wrgsbase
 * %rax; jmp *%rcx, the return of a call collected late (record_late.c). */
static const uint8_t page_code[] = {
	0x0f, 0x05, 0xeb, 0xfc, 0x0f, 0x05, 0xc3, 0x90,
	0xf3, 0x48, 0x0f, 0xae, 0xd8, 0xff, 0xe1,
};
_Static_assert(SB_UNTRACED_CALL == SCRIBE_PAGE + 4 && SCRIBE_PAGE_BUFFER_IP == SCRIBE_PAGE + 6,
               "the library's untraced syscall is the page's second instruction");
_Static_assert(SCRIBE_PAGE_LATE == SCRIBE_PAGE + 8 &&
               SCRIBE_PAGE_LATE_END == SCRIBE_PAGE + sizeof(page_code),
               "the late return's instructions");

int page_map(pid_t tid, int memfd, const struct user_regs_struct *entry,
             const struct sb_hdr *ld)
{
	struct ld_sites sites = { 0 };
	if (ld) {
		ld_find(tid, memfd, &sites);
		ld_drop_site(&sites, entry->rip - 2);
	}
	/* With the stub: its whole area, writable (ldstub.h says why). */
	bool at_entry = true;
	long got = pt_inject(tid, entry, &at_entry, SYS_mmap, SCRIBE_PAGE,
	                     sites.n ? LD_AREA_SIZE : SCRIBE_PAGE_SIZE,
	                     PROT_READ | PROT_EXEC | (sites.n ? PROT_WRITE : 0),
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
	                             (sites.n ? MAP_NORESERVE : 0), (uint64_t)-1, 0);
	if (got == -ESRCH)
		return -1;
	if (got != (long)SCRIBE_PAGE)
		fatal("cannot map the scribe page at %#lx in %d: %s", SCRIBE_PAGE, tid,
		      got < 0 ? strerror(-got) : "placed elsewhere");
	if (pt_write(memfd, SCRIBE_PAGE, page_code, sizeof(page_code)) < 0) {
		int e = errno;
		if (pt_gone(tid))
			return -1;               /* killed just now */
		fatal("cannot write the scribe page in %d: %s", tid, strerror(e));
	}
	if (sites.n && !ld_install(tid, memfd, &sites, ld, sizeof(*ld)))
		return -1;
	/* Issue the interrupted syscall again: it stops at seccomp anew. */
	struct user_regs_struct r = *entry;
	r.rax = entry->orig_rax;
	r.rip -= 2;
	pt_setregs(tid, &r);
	pt_cont(tid, 0);
	return sites.n > 0;
}

void page_park_detach(pid_t tid, const struct user_regs_struct *regs)
{
	struct user_regs_struct r = *regs;
	r.rip = SCRIBE_PAGE;
	r.rax = SYS_pause;
	r.orig_rax = -1;
	pt_setregs(tid, &r);
	reaper_add(tid);          /* no tracer will kill it if we die now */
	if (ptrace(PTRACE_DETACH, tid, 0, 0) < 0)
		fatal("cannot hand task %d to another tracer thread: %s", tid, strerror(errno));
}

bool page_attach(pid_t tid, const struct user_regs_struct *regs)
{
	if (pt_seize(tid, PT_OPTIONS) < 0) {
		if (errno == ESRCH || errno == EPERM) { /* gone, or a zombie */
			reaper_remove(tid);
			return false;
		}
		fatal("cannot take over task %d: %s", tid, strerror(errno));
	}
	reaper_remove(tid);      /* traced again: PTRACE_O_EXITKILL covers it */
	ptrace(PTRACE_INTERRUPT, tid, 0, 0);
	for (;;) {
		int st = pt_wait(tid);
		if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP)
			break;
		if (!WIFSTOPPED(st))
			return false;
		pt_cont(tid, 0);   /* anything else on the way is not the program's */
	}
	struct user_regs_struct r = *regs;
	r.orig_rax = -1;       /* no restart of the pause() we interrupted */
	pt_setregs(tid, &r);
	return true;
}
