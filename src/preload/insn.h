/* insn.h -- the length of one x86-64 instruction of the few kinds that do
 * the same wherever they run, so that they can be moved out of the way of
 * a jump: glibc's function prologues (patch.c) and the instructions after
 * an rdtsc of ld.so (core/loader.c).  Register, stack and rip-relative
 * moves, loads of addresses, the arithmetic and logic group, shifts by a
 * constant, pushes.  Anything else is 0: not moved.  Header-only, for
 * the preload library and the tracer alike. */
#ifndef SCRIBE_PRELOAD_INSN_H
#define SCRIBE_PRELOAD_INSN_H

#include <stdint.h>

/* *riprel gets the offset of a rip-relative disp32 inside it (-1: none).
 * p must have 15 bytes readable. */
static inline int insn_len(const uint8_t *p, int *riprel)
{
	int n = 0;
	*riprel = -1;
	if ((p[0] & 0xf0) == 0x40)             /* REX */
		n++;
	uint8_t op = p[n++];
	if (op >= 0x50 && op <= 0x57)           /* push reg */
		return n;
	if (op == 0x0f && p[n] == 0x05)          /* syscall: traced where it lands */
		return n + 1;
	if (op == 0x3d)                          /* cmp $imm32, %eax/%rax */
		return n + 4;
	if (op >= 0xb8 && op <= 0xbf)           /* mov $imm32, reg */
		return n + 4;
	int imm;
	switch (op) {
	case 0x01: case 0x03: case 0x09: case 0x0b: case 0x21: case 0x23: case 0x29:
	case 0x2b: case 0x31: case 0x33: case 0x39: case 0x85: case 0x89: case 0x8b:
	case 0x8d:
		imm = 0;           /* add or and sub xor cmp test mov lea */
		break;
	case 0x83: case 0x80: case 0xc1:
		imm = 1;           /* group 1 and shifts, with imm8 */
		break;
	case 0x81:
		imm = 4;
		break;
	default:
		return 0;
	}
	uint8_t modrm = p[n++];
	int mod = modrm >> 6, rm = modrm & 7;
	if (mod == 3)
		return n + imm;
	if (rm == 4)                             /* SIB */
		n++;
	if (mod == 0 && rm == 5) {               /* rip-relative */
		*riprel = n;
		return n + 4 + imm;
	}
	if (mod == 1)
		return n + 1 + imm;
	if (mod == 2)
		return n + 4 + imm;
	if (mod == 0 && rm == 4 && (p[n - 1] & 7) == 5)
		return n + 4 + imm;              /* SIB with disp32, no base */
	return n + imm;
}

#endif
