/* tracee.c -- bookkeeping of traced processes and tasks. */
#include "core/tracee.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ptrace.h"

struct process *proc_new(struct tracees *t, pid_t pid, uint32_t rec_pid)
{
	struct process *p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->rec_pid = rec_pid;
	p->memfd = pt_open_mem(pid);
	p->next = t->procs;
	t->procs = p;
	return p;
}

void proc_reopen_mem(struct process *p)
{
	if (p->memfd >= 0)
		close(p->memfd);
	p->memfd = pt_open_mem(p->pid);
}

struct task *task_new(struct tracees *t, struct process *p, pid_t tid, uint32_t rec_tid)
{
	struct task *k = xcalloc(1, sizeof(*k));
	k->tid = tid;
	k->rec_tid = rec_tid;
	k->proc = p;
	k->restart_nr = -1;
	p->ntasks++;
	k->next = t->tasks;
	t->tasks = k;
	t->ntasks++;
	return k;
}

struct task *task_find(struct tracees *t, pid_t tid)
{
	for (struct task *k = t->tasks; k; k = k->next)
		if (k->tid == tid)
			return k;
	return NULL;
}

static void proc_free(struct tracees *t, struct process *p)
{
	for (struct process **pp = &t->procs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	if (p->memfd >= 0)
		close(p->memfd);
	free(p);
}

void task_free(struct tracees *t, struct task *task)
{
	for (struct task **pp = &t->tasks; *pp; pp = &(*pp)->next) {
		if (*pp == task) {
			*pp = task->next;
			break;
		}
	}
	t->ntasks--;
	if (--task->proc->ntasks == 0)
		proc_free(t, task->proc);
	buf_free(&task->cap);
	buf_free(&task->inprefix);
	free(task->regions);
	free(task);
}

void tracees_kill_all(struct tracees *t)
{
	for (struct task *k = t->tasks; k; k = k->next)
		kill(k->tid, SIGKILL);
}

long task_read(struct task *t, uint64_t addr, void *buf, size_t len)
{
	return pt_read(t->tid, t->proc->memfd, addr, buf, len);
}

int task_write(struct task *t, uint64_t addr, const void *buf, size_t len)
{
	return pt_write(t->proc->memfd, addr, buf, len);
}
