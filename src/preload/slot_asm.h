/* slot_asm.h -- the slot as the assembly entries (entry.S, ldstub.S) see
 * it: header offsets and sizes (core.h and ldstub.c check them against
 * sbuf.h), and RAW_EXIT, the way out of a patched syscall site's call.
 *
 * RAW_EXIT, on entry: the program's registers back, the slot's in_call
 * cleared, the result in rax, the syscall number in ecx and the C code's
 * fallback code in r11: 0 answered, 1 make the call traced (as it was),
 * 2 answered, then stop for the tracer (a signal waits: SB_SYS_SYNC).
 * Like the syscall it replaces, it leaves rcx and r11 the same whichever
 * way the call was answered. */
#define HDR_MODE      4
#define HDR_IN_CALL   8
#define HDR_OWNER     88
#define SLOT_SIZE     0x80000
#define SYS_SYNC      0x5c0003

	.macro RAW_EXIT
	cmp $1, %r11
	je 6f
	cmp $2, %r11
	jne 7f
	push %rax                        /* a signal waits: stop for it */
	mov $SYS_SYNC, %eax
	syscall
	pop %rax
7:	xor %ecx, %ecx
	xor %r11d, %r11d
	ret
6:	mov %ecx, %eax                   /* traced, as it was */
	syscall
	ret
	.endm
