/* tracee.c -- bookkeeping of traced processes and tasks. */
#include "core/tracee.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/dirty.h"
#include "core/cpu.h"
#include "core/maps.h"
#include "core/ptrace.h"
#include "core/worker.h"

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
	dirty_stop(p->dirty);          /* it watched the old address space */
	p->dirty = NULL;
}

struct task *task_new(struct tracees *t, struct process *p, pid_t tid, uint32_t rec_tid)
{
	struct task *k = xcalloc(1, sizeof(*k));
	k->owner = self;
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
	if (p->fdinfo_dir > 0)
		close(p->fdinfo_dir - 1);
	dirty_stop(p->dirty);
	free(p->mapfds);
	free(p->resent);
	free(p);
}

struct domain *domain_new(struct tracees *t, uint32_t id)
{
	struct domain *d = xcalloc(1, sizeof(*d));
	d->id = id;
	d->s = &d->own;
	pthread_mutex_init(&d->own.mu, NULL);
	d->next = t->doms;
	t->doms = d;
	if (id >= t->ndomains)
		t->ndomains = id + 1;
	return d;
}

struct domain *domain_find(struct tracees *t, uint32_t id)
{
	for (struct domain *d = t->doms; d; d = d->next)
		if (d->id == id)
			return d;
	return NULL;
}

void task_set_domain(struct task *task, struct domain *d)
{
	task->dom = d;
	d->ntasks++;
}

void domain_park(struct domain *d, struct task *t, int status)
{
	ASSERT(!t->parked);
	t->parked = true;
	t->parked_status = status;
	t->wnext = NULL;
	struct task **pp = &d->s->waitq;
	while (*pp)
		pp = &(*pp)->wnext;
	*pp = t;
}

void domain_unpark_task(struct domain *d, struct task *t)
{
	for (struct task **pp = &d->s->waitq; *pp; pp = &(*pp)->wnext) {
		if (*pp == t) {
			*pp = t->wnext;
			break;
		}
	}
	t->parked = false;
	t->wnext = NULL;
}

struct task *domain_unpark(struct domain *d)
{
	struct task *t = d->s->waitq;
	if (t)
		domain_unpark_task(d, t);
	return t;
}

void early_add(struct tracees *t, pid_t tid, int status)
{
	t->early = xrealloc(t->early, (t->nearly + 1) * sizeof(*t->early));
	t->early[t->nearly++] = (struct early){ tid, status };
}

bool early_take(struct tracees *t, pid_t tid, int *status)
{
	for (int i = 0; i < t->nearly; i++) {
		if (t->early[i].tid == tid) {
			*status = t->early[i].status;
			t->early[i] = t->early[--t->nearly];
			return true;
		}
	}
	return false;
}

bool proc_has_shared_writable(pid_t pid)
{
	struct map *maps;
	int n = maps_read(pid, &maps);
	bool found = false;
	for (int i = 0; i < n && !found; i++)
		found = maps[i].shared && (maps[i].prot & 2 /* PROT_WRITE */);
	if (n >= 0)
		free(maps);
	return found;
}

void task_free(struct tracees *t, struct task *task)
{
	if (task->dom) {
		if (task->parked)
			domain_unpark_task(task->dom, task);
		if (task->dom->s->holder == task)
			task->dom->s->holder = NULL;
		if (task->dom->s->last == task)
			task->dom->s->last = NULL;
		task->dom->ntasks--;
	}
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
	free(task->in_bytes.p);
	free(task->hq);
	free(task);
}

void tracees_kill_all(struct tracees *t)
{
	for (struct task *k = t->tasks; k; k = k->next)
		kill(k->tid, SIGKILL);
}

bool task_emulate_cpuid(struct task *t)
{
	uint8_t code[2];
	if (task_read(t, t->regs.rip, code, 2) != 2 || code[0] != 0x0f || code[1] != 0xa2)
		return false;
	uint32_t out[4];
	cpu_cpuid_seen((uint32_t)t->regs.rax, (uint32_t)t->regs.rcx, out);
	t->regs.rax = out[0];
	t->regs.rbx = out[1];
	t->regs.rcx = out[2];
	t->regs.rdx = out[3];
	t->regs.rip += 2;
	pt_setregs(t->tid, &t->regs);
	return true;
}

long task_read(struct task *t, uint64_t addr, void *buf, size_t len)
{
	return pt_read(t->tid, t->proc->memfd, addr, buf, len);
}

int task_write(struct task *t, uint64_t addr, const void *buf, size_t len)
{
	return pt_write(t->proc->memfd, addr, buf, len);
}

void tracees_unlink(struct tracees *t, struct task *task)
{
	for (struct task **pp = &t->tasks; *pp; pp = &(*pp)->next)
		if (*pp == task) {
			*pp = task->next;
			break;
		}
	t->ntasks--;
	for (struct process **pp = &t->procs; *pp; pp = &(*pp)->next)
		if (*pp == task->proc) {
			*pp = task->proc->next;
			break;
		}
	for (struct domain **pp = &t->doms; *pp; pp = &(*pp)->next)
		if (*pp == task->dom) {
			*pp = task->dom->next;
			break;
		}
}

void tracees_link(struct tracees *t, struct task *task)
{
	task->owner = self;
	task->next = t->tasks;
	t->tasks = task;
	t->ntasks++;
	task->proc->next = t->procs;
	t->procs = task->proc;
	task->dom->next = t->doms;
	t->doms = task->dom;
}
