/* cpuid_static: a static program without libc whose very first
 * instruction is cpuid leaf 1; it prints the APIC id (ebx bits 31-24: the
 * CPU it runs on) with its first syscall.  Go's static binaries ask cpuid
 * before any syscall in the same way: scribe must trap that cpuid too
 * (armed at the exec stop, not at the image's first syscall).  Built with
 * -nostdlib -static (Makefile). */
#include <sys/syscall.h>

static long sys3(long nr, long a0, long a1, long a2)
{
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
	                 : "rcx", "r11", "memory");
	return ret;
}

__attribute__((noreturn)) void _start(void)
{
	unsigned a = 1, b, c = 0, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	unsigned id = b >> 24;
	char line[] = "APIC 000\n";
	line[5] = (char)('0' + id / 100);
	line[6] = (char)('0' + id / 10 % 10);
	line[7] = (char)('0' + id % 10);
	sys3(SYS_write, 1, (long)line, sizeof(line) - 1);
	sys3(SYS_exit_group, 0, 0, 0);
	for (;;)
		;
}
