/* ldstub.S -- the loader stub's entry (ldstub.h): the way in from a
 * patched syscall site of ld.so, as entry.S sb_raw_entry is for libc's.
 *
 * A site's trampoline (core/loader.c) has stepped over the red zone, put
 * the syscall number in eax and called ld_entry with the syscall's
 * argument registers.  Like the syscall it replaces, ld_entry keeps every
 * register but rax (the result), rcx and r11, and leaves the same values
 * in those whether the kernel or the buffer answered.  It answers only
 * for the thread the tracer set the stub up for (the slot's owner): a
 * thread sharing the memory, or a forked child, makes the call traced,
 * from the syscall instruction here. */
#include <sys/syscall.h>

#include "preload/slot_asm.h"

#define LD_SLOT       0x70f80000
#define LD_CPUID      0x7000e000

	.set sb_untraced, 0x70000004     /* the scribe page's "syscall; ret" */

	.section .text.head, "ax"
	.globl ld_head
ld_head:
	.long 0x5453444c                 /* LD_MAGIC */
	.long ld_entry - ld_head
	.long ld_rdtsc - ld_head
	.long ld_cpuid - ld_head

	.text
	.p2align 4
	.type ld_entry, @function
ld_entry:
	mov $LD_SLOT, %r11
	cmpl $0, HDR_MODE(%r11)
	je 5f                            /* off: the library has its own slot */
	push %rax
	mov $SYS_gettid, %eax
	call sb_untraced
	mov $LD_SLOT, %r11
	cmp %eax, HDR_OWNER(%r11)
	pop %rax
	je 1f
	test %eax, %eax                  /* flags that depend on no tid */
	syscall
	ret
1:
	movl $1, HDR_IN_CALL(%r11)
	mov %rsp, %rcx
	mov $(LD_SLOT + SLOT_SIZE), %rsp /* the slot's private stack */
	push %rcx                        /* the program's rsp */
	push $0                          /* fallback */
	push %r9
	push %r8
	push %r10
	push %rdx
	push %rsi
	push %rdi
	push %rax                        /* the syscall number */
	sub $8, %rsp
	lea 8(%rsp), %rdi
	call ld_dispatch
	mov 64(%rsp), %r11               /* fallback */
	mov 8(%rsp), %rcx                /* the syscall number */
	mov 16(%rsp), %rdi
	mov 24(%rsp), %rsi
	mov 32(%rsp), %rdx
	mov 40(%rsp), %r10
	mov 48(%rsp), %r8
	mov 56(%rsp), %r9
	mov 72(%rsp), %rsp
	push %rax
	mov $LD_SLOT, %eax
	movl $0, HDR_IN_CALL(%rax)
	pop %rax
	RAW_EXIT
5:	syscall
	ret
	.size ld_entry, . - ld_entry

/* An rdtsc of ld.so that loader.c redirected: its trampoline stepped
 * over the red zone and called here.  Like rdtsc, this sets edx:eax (the
 * upper halves cleared) and keeps every other register and the flags.
 * The owner gets the value from ld_tsc (ldstub.c), on the slot's stack;
 * any other thread runs the rdtsc here, trapped and recorded as ever.  A
 * stop the tracer asked for is made with the program's registers back
 * but for rax (the stop's number) and rdx (the value's upper half, the
 * same on replay); the syscall itself sets rcx and r11, restored after. */
	.p2align 4
	.type ld_rdtsc, @function
ld_rdtsc:
	pushfq
	push %rcx
	push %r11
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	mov $LD_SLOT, %r11
	cmpl $0, HDR_MODE(%r11)
	je 8f
	mov $SYS_gettid, %eax
	call sb_untraced
	mov $LD_SLOT, %r11
	cmp %eax, HDR_OWNER(%r11)
	jne 8f
	movl $1, HDR_IN_CALL(%r11)
	mov %rsp, %rcx
	mov $(LD_SLOT + SLOT_SIZE), %rsp /* the slot's private stack */
	push %rcx                        /* the program's rsp */
	push $0                          /* answer code, from ld_tsc */
	mov %rsp, %rdi
	call ld_tsc
	pop %rcx
	pop %rsp
	mov $LD_SLOT, %r11
	movl $0, HDR_IN_CALL(%r11)
	mov %rax, %rdx
	shr $32, %rdx
	mov %eax, %eax
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	cmp $2, %rcx
	jne 9f
	push %rax                        /* a signal waits: stop for it */
	mov $SYS_SYNC, %eax
	syscall
	pop %rax
	jmp 9f
8:	xor %eax, %eax                   /* rax and flags that depend on no tid */
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	rdtsc                            /* not ours: trapped */
9:	pop %r11
	pop %rcx
	popfq
	ret
	.size ld_rdtsc, . - ld_rdtsc

/* A cpuid of ld.so that loader.c redirected, its leaf in eax and
 * sub-leaf in ecx (the trampoline stepped over the red zone and called
 * here): the tracer's answer from the table at LD_CPUID (ldstub.h struct
 * ld_cpuid), which it wrote from the same function that answers a trapped
 * cpuid, so record and replay see the same values with no stop and
 * nothing recorded.  Like cpuid, this sets eax, ebx, ecx and edx (upper
 * halves cleared) and keeps everything else, the flags too.  Any thread
 * may use it: the answers are the same for all.  A leaf the table lacks
 * runs the real cpuid here, trapped as ever. */
	.p2align 4
	.type ld_cpuid, @function
ld_cpuid:
	pushfq
	mov $LD_CPUID, %ebx
1:	cmpl $2, 8(%rbx)                 /* LD_CPUID_END */
	je 4f
	cmp (%rbx), %eax
	jne 2f
	cmpl $1, 8(%rbx)                 /* LD_CPUID_ANY */
	je 3f
	cmp 4(%rbx), %ecx
	je 3f
2:	add $32, %rbx
	cmp $(LD_CPUID + 256 * 32), %rbx  /* LD_CPUID_MAX: never past the table */
	jb 1b
	jmp 4f
3:	mov 16(%rbx), %eax
	mov 24(%rbx), %ecx
	mov 28(%rbx), %edx
	mov 20(%rbx), %ebx
	popfq
	ret
4:	cpuid                            /* not in the table: trapped */
	popfq
	ret
	.size ld_cpuid, . - ld_cpuid

	.section .note.GNU-stack, "", @progbits
