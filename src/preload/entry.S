/* entry.S -- the wrapped libc functions' entry: switch to the thread's
 * private stack, let sb_dispatch (preload.c) make or answer the call, and
 * come back with registers that do not depend on how it was answered.
 *
 * Why assembly: recording makes the call in the kernel and replaying
 * answers it from the buffer, two different code paths.  Everything they
 * leave behind that the program could see must be equal, because replay
 * checks the registers at every traced syscall and the memory at every
 * signature: so the C code runs on a stack inside the slot (which no
 * signature covers), is compiled without vector registers, and the
 * scratch registers are cleared on the way out.  A call that must stay
 * traced is passed to the real libc function by a tail jump, on the
 * program's own stack, with its arguments intact (pthread cancellation
 * unwinds through it as usual).
 *
 * Frame on the private stack (struct sb_frame in preload.c), from rsp:
 *   0 pad, 8 index, 16..56 rdi rsi rdx rcx r8 r9, 64 fallback, 72 rsp
 * fallback: 0 answered, 1 call the real function, 2 answered and stop
 * for the tracer (a signal waits: SB_SYS_SYNC, which it is delivered at). */

#include "preload/slot_asm.h"

	.text

	.macro WRAP name, idx
	.globl \name
	.type \name, @function
\name:
sb_w_\name:
	mov $\idx, %eax
	jmp sb_entry
	.size \name, . - \name
	.endm

#define W(name, idx) WRAP name, idx
#include "preload/wrapped.h"
#undef W

/* Our wrappers by index, for patch.c (local labels: no interposition). */
	.section .data.rel.ro, "aw"
	.p2align 3
	.globl sb_ours
	.hidden sb_ours
sb_ours:
#define W(name, idx) .quad sb_w_##name
#include "preload/wrapped.h"
#undef W

/* Trampolines patch.c writes: libc prologues moved out of the way. */
	.section .text.sb_tramp, "ax"
	.p2align 12
	.globl sb_tramp_area, sb_tramp_end
	.hidden sb_tramp_area, sb_tramp_end
sb_tramp_area:
	.fill 8192, 1, 0xcc
sb_tramp_end:

	.text

/* With the slot in r11: mark the library in a call, move to the slot's
 * private stack (unless already on it), lay out the frame with the
 * arguments (arg4 is rcx for a function, r10 for a syscall) and call fn
 * with a pointer to it.  `tmp` is a scratch register. */
	.macro ENTER_SLOT tmp, arg4, fn
	movl $1, HDR_IN_CALL(%r11)
	mov %rsp, \tmp
	sub %r11, \tmp
	cmp $SLOT_SIZE, \tmp
	mov %rsp, \tmp
	jb 1f                            /* already on the private stack */
	lea SLOT_SIZE(%r11), %rsp
1:	and $-16, %rsp
	push \tmp                        /* the program's rsp */
	push $0                          /* fallback */
	push %r9
	push %r8
	push \arg4
	push %rdx
	push %rsi
	push %rdi
	push %rax                        /* index, or syscall number */
	sub $8, %rsp
	lea 8(%rsp), %rdi
	call \fn
	.endm

/* reg = this thread's slot (sb_slot, initial-exec TLS). */
	.macro SLOT reg
	mov sb_slot@gottpoff(%rip), \reg
	mov %fs:(\reg), \reg
	.endm

/* Back from ENTER_SLOT's frame: the arguments again (the C code may have
 * changed them), and the program's stack. */
	.macro LEAVE_SLOT arg4
	mov 16(%rsp), %rdi
	mov 24(%rsp), %rsi
	mov 32(%rsp), %rdx
	mov 40(%rsp), \arg4
	mov 48(%rsp), %r8
	mov 56(%rsp), %r9
	mov 72(%rsp), %rsp
	.endm

/* Call a C function on the program's stack (rsp is 8 off 16 at a
 * wrapper's entry: seven pushes align it), keeping the arguments and rax. */
	.macro CALL_KEEPING_ARGS fn
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %r8
	push %r9
	push %rax
	call \fn
	pop %rax
	pop %r9
	pop %r8
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	.endm

	.p2align 4
	.type sb_entry, @function
sb_entry:
	SLOT %r11
	cmp $1, %r11
	jbe sb_cold                      /* no slot yet (0) or none (1) */
	cmpl $0, HDR_MODE(%r11)
	je sb_direct
	ENTER_SLOT %r10, %rcx, sb_dispatch
	mov 64(%rsp), %r10
	cmp $1, %r10
	je 3f
	mov 72(%rsp), %rsp               /* answered: rax is the result */
	SLOT %r11
	movl $0, HDR_IN_CALL(%r11)
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r11d, %r11d
	cmp $2, %r10
	je 2f
	xor %r10d, %r10d
	ret
2:	push %rax                        /* the tracer wants a stop here */
	mov $SYS_SYNC, %eax
	xor %r10d, %r10d
	syscall
	pop %rax
	xor %ecx, %ecx
	xor %r11d, %r11d
	ret
3:	mov 8(%rsp), %rax                /* traced: the real function */
	LEAVE_SLOT %rcx
	SLOT %r11
	movl $0, HDR_IN_CALL(%r11)
	jmp sb_direct

/* First call of this thread: get a slot (C, on the program's stack; the
 * same code runs on replay, where its mmap and register calls are
 * answered alike), then start again. */
sb_cold:
	je sb_direct
	CALL_KEEPING_ARGS sb_init_thread
	jmp sb_entry

sb_direct:
	lea sb_real(%rip), %r11
	mov (%r11,%rax,8), %r11
	test %r11, %r11
	jz 4f
	xor %eax, %eax
	xor %r10d, %r10d
	jmp *%r11
4:	CALL_KEEPING_ARGS sb_resolve     /* called before our constructor */
	jmp sb_direct
	.size sb_entry, . - sb_entry

/* A syscall instruction inside libc that patch.c redirected (a
 * "mov $NR, %eax; syscall" site): its trampoline stepped over the red
 * zone and called here with the syscall's registers.  Like the syscall
 * it replaces, this keeps every register but rax (the result), rcx and
 * r11.  The frame on the private stack is laid out as sb_entry's, with the
 * syscall number as index and r10 as the fourth argument. */
	.p2align 4
	.globl sb_raw_entry
	.hidden sb_raw_entry
	.type sb_raw_entry, @function
sb_raw_entry:
	SLOT %r11
	cmp $1, %r11
	jbe 5f                           /* no slot: the plain syscall */
	cmpl $0, HDR_MODE(%r11)
	je 5f
	ENTER_SLOT %rcx, %r10, sb_raw_dispatch
	mov 64(%rsp), %r11
	mov 8(%rsp), %rcx
	LEAVE_SLOT %r10
	push %rax
	SLOT %rax
	movl $0, HDR_IN_CALL(%rax)
	pop %rax
	RAW_EXIT
5:	syscall
	ret
	.size sb_raw_entry, . - sb_raw_entry

	.section .note.GNU-stack, "", @progbits
