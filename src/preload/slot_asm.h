/* raw_exit.h -- the way out of a patched syscall site's call (an assembler
 * macro for entry.S sb_raw_entry and ldstub.S ld_entry).
 *
 * On entry: the program's registers back, the slot's in_call cleared, the
 * result in rax, the syscall number in ecx and the C code's fallback code
 * in r11: 0 answered, 1 make the call traced (as it was), 2 answered, then
 * stop for the tracer (a signal waits: SB_SYS_SYNC).  Like the syscall it
 * replaces, this leaves rcx and r11 the same whichever way the call was
 * answered. */
	.macro RAW_EXIT
	cmp $1, %r11
	je 6f
	cmp $2, %r11
	jne 7f
	push %rax                        /* a signal waits: stop for it */
	mov $0x5c0003, %eax              /* SB_SYS_SYNC */
	syscall
	pop %rax
7:	xor %ecx, %ecx
	xor %r11d, %r11d
	ret
6:	mov %ecx, %eax                   /* traced, as it was */
	syscall
	ret
	.endm
