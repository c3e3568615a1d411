/* page.h -- the scribe page: a page of scribe's own code mapped at a fixed
 * address in every tracee, in record and replay alike.
 *
 * It holds "syscall; jmp back": the one place the seccomp filter lets a
 * system call through without stopping (pause(2) there parks a task while
 * it moves from one tracer thread to another).  Its address is far from
 * where the kernel puts mappings, and being read-only it is no part of
 * the memory a signature hashes. */
#ifndef SCRIBE_PAGE_H
#define SCRIBE_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#define SCRIBE_PAGE      0x70000000ul
#define SCRIBE_PAGE_SIZE 4096ul
/* seccomp reports the address after the syscall instruction. */
#define SCRIBE_PAGE_SYSCALL_IP (SCRIBE_PAGE + 2)
/* The preload library's "syscall; ret" (preload/sbuf.h SB_UNTRACED_CALL). */
#define SCRIBE_PAGE_BUFFER_IP  (SCRIBE_PAGE + 6)
/* "wrgsbase %rax; jmp *%rcx": where a call the recorder collects late
 * returns to (record_late.c); the GS base keeps its result. */
#define SCRIBE_PAGE_LATE       (SCRIBE_PAGE + 8)
#define SCRIBE_PAGE_LATE_END   (SCRIBE_PAGE + 15)

/* Map the page into a task stopped at the seccomp stop of its first
 * syscall after an exec; the syscall is then issued again.  memfd is its
 * process's /proc/PID/mem.  With `ld` (the header of the loader stub's
 * slot, preload/ldstub.h), also set up the loader stub if the task's
 * ld.so has sites for it.  Returns 1 if the stub is set up (the task's
 * slot is then SB_LD_SLOT), 0 if not, -1 if the task died on the way (a
 * SIGKILL from its family): the worker loop sees its death next. */
struct sb_hdr;
int page_map(pid_t tid, int memfd, const struct user_regs_struct *entry,
             const struct sb_hdr *ld);

/* Move a task stopped in a ptrace stop to another tracer thread: park it
 * in pause() on the scribe page and detach (old thread), then seize it,
 * stop it and give it back its registers (new thread). */
void page_park_detach(pid_t tid, const struct user_regs_struct *regs);
/* False if the task died on the way (a SIGKILL from its family). */
bool page_attach(pid_t tid, const struct user_regs_struct *regs);

#endif
