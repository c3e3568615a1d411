/* sys_proc.c -- out-memory of prctl and futex, whose effects depend on the
 * operation argument. */
#include "core/util.h"
#include "syscalls/table.h"

void sys_out_prctl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	uint64_t size = 0;
	switch (args[0]) {
	case 16:                   /* PR_GET_NAME */
		size = 16;
		break;
	case 2:                    /* PR_GET_PDEATHSIG */
	case 5:                    /* PR_GET_UNALIGN */
	case 9:                    /* PR_GET_FPEMU */
	case 11:                   /* PR_GET_FPEXC */
	case 19:                   /* PR_GET_ENDIAN */
	case 25:                   /* PR_GET_TSC */
	case 37:                   /* PR_GET_CHILD_SUBREAPER */
		size = 4;
		break;
	case 40:                   /* PR_GET_TID_ADDRESS */
		size = 8;
		break;
	case 0x41555856:           /* PR_GET_AUXV */
		size = ret > 0 ? MIN((uint64_t)ret, args[2]) : 0;
		break;
	}
	if (ret >= 0 && size && args[1])
		cap->region(cap->ctx, args[1], size);
}

void sys_out_futex(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	switch (args[1] & 0x7f) {
	case 5:                    /* FUTEX_WAKE_OP: modifies *uaddr2 */
	case 11:                   /* FUTEX_WAIT_REQUEUE_PI */
	case 12:                   /* FUTEX_CMP_REQUEUE_PI */
		if (args[4])
			cap->region(cap->ctx, args[4], 4);
		break;
	case 6: case 7: case 8: case 13:  /* the PI lock ops write the owner tid */
		cap->region(cap->ctx, args[0], 4);
		break;
	}
}

/* keyctl: the commands that fill a buffer return the full length of what
 * they have and copy at most the buffer's size. */
void sys_out_keyctl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	switch (args[0]) {
	case 6:                    /* KEYCTL_DESCRIBE */
	case 11:                   /* KEYCTL_READ */
	case 17:                   /* KEYCTL_GET_SECURITY */
		if (ret > 0 && args[2])
			cap->region(cap->ctx, args[2], MIN((uint64_t)ret, args[3]));
		break;
	}
}
