/* sysv_ipc: SysV shared memory, semaphores and message queues between a
 * parent and its child.  The segment is created before fork but attached
 * by each process after it, so the two join only at shmat; both increment
 * a counter in it 100,000,000 times without a lock.  Then they take turns
 * through a semaphore pair appending to a log in the segment, the child
 * sends its pid and a random number through a message queue, and the
 * parent prints what it saw, shmctl(IPC_STAT) (creator pid, times) and
 * semctl(GETALL), detaches and attaches the segment again at the same
 * address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/random.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ITERS 100000000
#define ROUNDS 5

struct shared {
	volatile long counter;
	long child_seen;
	char log[256];
};

struct note {
	long mtype;
	char text[64];
};

static void sem_add(int sem, int which, int delta)
{
	struct sembuf op = { (unsigned short)which, (short)delta, 0 };
	if (semop(sem, &op, 1) != 0) {
		perror("semop");
		exit(1);
	}
}

static void count(struct shared *s)
{
	for (int i = 0; i < ITERS; i++)
		s->counter++;
}

/* Take turns: each waits on its own semaphore, appends, posts the other. */
static void turns(struct shared *s, int sem, int me, char tag)
{
	for (int i = 0; i < ROUNDS; i++) {
		sem_add(sem, me, -1);
		size_t n = strlen(s->log);
		s->log[n] = tag;
		s->log[n + 1] = '0' + i;
		s->log[n + 2] = 0;
		sem_add(sem, !me, 1);
	}
}

static int child(int shm, int sem, int msq)
{
	struct shared *s = shmat(shm, NULL, 0);
	if (s == (void *)-1)
		return 1;
	count(s);
	s->child_seen = s->counter;
	turns(s, sem, 1, 'c');
	unsigned r;
	if (getrandom(&r, sizeof r, 0) != sizeof r)
		return 1;
	struct note m = { 7, "" };
	snprintf(m.text, sizeof m.text, "child %d random %u", (int)getpid(), r);
	if (msgsnd(msq, &m, strlen(m.text) + 1, 0) != 0)
		return 1;
	return shmdt(s) == 0 ? 0 : 1;
}

int main(void)
{
	int shm = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
	int sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	int msq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (shm < 0 || sem < 0 || msq < 0) {
		perror("get");
		return 1;
	}
	unsigned short init[2] = { 1, 0 };
	if (semctl(sem, 0, SETALL, init) != 0)
		return 1;
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0)
		_exit(child(shm, sem, msq));
	struct shared *s = shmat(shm, NULL, 0);
	if (s == (void *)-1)
		return 1;
	count(s);
	long parent_seen = s->counter;
	turns(s, sem, 0, 'p');
	struct note m;
	ssize_t n = msgrcv(msq, &m, sizeof m.text, 0, 0);
	int st;
	waitpid(p, &st, 0);
	struct shmid_ds ds;
	unsigned short vals[2];
	if (n < 0 || shmctl(shm, IPC_STAT, &ds) != 0 || semctl(sem, 0, GETALL, vals) != 0)
		return 1;
	printf("final %ld (%s)\n", s->counter,
	       s->counter == 2L * ITERS ? "no lost updates" : "lost updates");
	printf("parent saw %ld, child saw %ld, child exited %d\n", parent_seen, s->child_seen,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("log %s\n", s->log);
	printf("message type %ld: %s\n", m.mtype, m.text);
	printf("segment size %zu attached %lu creator %d ctime %ld semaphores %u %u\n",
	       (size_t)ds.shm_segsz, (unsigned long)ds.shm_nattch, (int)ds.shm_cpid,
	       (long)ds.shm_ctime, vals[0], vals[1]);
	void *at = s;
	if (shmdt(s) != 0 || (s = shmat(shm, at, 0)) != at)
		return 1;
	printf("again at the same address: counter %ld, log %s\n", s->counter, s->log);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msq, IPC_RMID, NULL);
	return 0;
}
