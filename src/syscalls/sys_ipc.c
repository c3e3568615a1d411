/* sys_ipc.c -- out-memory of the SysV IPC calls, whose size depends on the
 * command (shmctl, semctl, msgctl) or on the message received (msgrcv).
 *
 * The x86-64 kernel uses the 64-bit IPC structures whatever the IPC_64 bit
 * says, and glibc's struct layouts are those same structures, so their
 * sizes come from the headers: shmid_ds 112, semid_ds 104, msqid_ds 120,
 * shminfo 72, shm_info 48, seminfo 40, msginfo 32 bytes. */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "syscalls/table.h"

#define CMD(a) ((a) & 0xff)    /* without IPC_64 */

void sys_out_shmctl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	unsigned size = 0;
	switch (CMD(args[1])) {
	case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY:
		size = sizeof(struct shmid_ds);
		break;
	case IPC_INFO:
		size = sizeof(struct shminfo);
		break;
	case SHM_INFO:
		size = sizeof(struct shm_info);
		break;
	}
	if (ret >= 0 && size && args[2])
		cap->region(cap->ctx, args[2], size);
}

/* semctl's fourth argument is a union passed by value: for the commands
 * below it is the pointer the kernel writes through.  GETALL writes one
 * unsigned short per semaphore of the set, a count the call does not
 * carry: ask the kernel (the tracer shares the tracee's IPC namespace). */
void sys_out_semctl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	unsigned size = 0;
	struct semid_ds ds;
	switch (CMD(args[2])) {
	case IPC_STAT: case SEM_STAT: case SEM_STAT_ANY:
		size = sizeof(struct semid_ds);
		break;
	case IPC_INFO: case SEM_INFO:
		size = sizeof(struct seminfo);
		break;
	case GETALL:
		if (semctl((int)args[0], 0, IPC_STAT, &ds) == 0)
			size = ds.sem_nsems * sizeof(unsigned short);
		break;
	}
	if (ret >= 0 && size && args[3])
		cap->region(cap->ctx, args[3], size);
}

void sys_out_msgctl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	unsigned size = 0;
	switch (CMD(args[1])) {
	case IPC_STAT: case MSG_STAT: case MSG_STAT_ANY:
		size = sizeof(struct msqid_ds);
		break;
	case IPC_INFO: case MSG_INFO:
		size = sizeof(struct msginfo);
		break;
	}
	if (ret >= 0 && size && args[2])
		cap->region(cap->ctx, args[2], size);
}

/* msgrcv writes the message's type (a long) and then `ret` bytes of text. */
void sys_out_msgrcv(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	if (ret >= 0 && args[1])
		cap->region(cap->ctx, args[1], sizeof(long) + (uint64_t)ret);
}
