/* record_exec.c -- record the new address space after a successful exec:
 * the files the kernel mapped, the vDSO (its time functions rewritten to
 * make syscalls, vdso.c), the initial stack byte for byte, and the
 * registers, so replay can rebuild exactly this state. */
#include "record/record_int.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "core/elf.h"
#include "core/maps.h"
#include "core/ptrace.h"
#include "core/vdso.h"
#include "syscalls/fdtab.h"

struct stack_view {
	uint8_t *p;
	size_t len;
	uint64_t base;           /* address of p[0] (= rsp) */
};

static bool sv_u64(const struct stack_view *s, size_t off, uint64_t *v)
{
	if (off + 8 > s->len)
		return false;
	memcpy(v, s->p + off, 8);
	return true;
}

/* Collect argv or envp strings starting at word offset *off. */
static struct ev_bytes *stack_strings(const struct stack_view *s, size_t *off, uint32_t *count)
{
	uint32_t n = 0, cap = 16;
	struct ev_bytes *v = xcalloc(cap, sizeof(*v));
	uint64_t ptr;
	while (sv_u64(s, *off, &ptr) && ptr) {
		*off += 8;
		if (ptr < s->base || ptr >= s->base + s->len)
			continue;
		size_t so = ptr - s->base;
		const uint8_t *z = memchr(s->p + so, 0, s->len - so);
		if (!z)
			continue;
		if (n == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct ev_bytes){ s->p + so, (size_t)(z - (s->p + so)) };
	}
	*off += 8;
	*count = n;
	return v;
}

/* Where the PT_INTERP string of the running image sits in memory, given
 * AT_PHDR; 0 when the image has none or it is not mapped. */
static uint64_t interp_address(const char *exe_path, uint64_t at_phdr, struct elf_info *ei)
{
	int fd = open(exe_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint64_t addr = 0;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
		goto out;
	void *img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED)
		goto out;
	if (elf_parse(img, st.st_size, ei) == 0 && ei->has_interp && ei->has_phdr_vaddr)
		addr = at_phdr - ei->phdr_vaddr + ei->interp_vaddr;
	munmap(img, st.st_size);
out:
	if (fd >= 0)
		close(fd);
	return addr;
}

/* Give the program the vDSO at addr with its time functions rewritten
 * (vdso.c), keeping the image for the trace.  False if it cannot be
 * rewritten: the caller hides it then, and libc makes the syscalls. */
static bool give_vdso(struct task *t, const struct map *maps, int nmaps, uint64_t addr,
                      struct ev_exec *x)
{
	for (int i = 0; i < nmaps; i++) {
		if (maps[i].start != addr || strcmp(maps[i].name, "[vdso]"))
			continue;
		size_t len = maps[i].end - maps[i].start;
		uint8_t *img = xmalloc(len);
		if (task_read(t, addr, img, len) != (long)len || vdso_patch(img, len) < 0 ||
		    task_write(t, addr, img, len) < 0) {
			free(img);
			return false;
		}
		x->vdso_addr = addr;
		x->vdso = (struct ev_bytes){ img, len };
		return true;
	}
	return false;
}

/* A program that would gain privileges by its exec (setuid, setgid, file
 * capabilities) runs without them when scribe is not root: the seccomp
 * filter needed no_new_privs, and a debugger's exec never gains them
 * anyway.  Say so once: its behaviour (an EPERM, a refusal) is then what
 * an unprivileged user gets. */
static void warn_unprivileged(struct recorder *r, const char *exe_link, const char *exe)
{
	struct stat st;
	if (geteuid() == 0 || stat(exe_link, &st) < 0)
		return;
	const char *what = NULL;
	if ((st.st_mode & S_ISUID) && st.st_uid != geteuid())
		what = "is setuid";
	else if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && st.st_gid != getegid())
		what = "is setgid";
	else if (getxattr(exe_link, "security.capability", NULL, 0) > 0)
		what = "has file capabilities";
	if (what)
		rec_warn_once(r, "setuid", "%s %s; recorded by an unprivileged user, it runs "
		              "without those privileges, as under any debugger", exe, what);
}

/* The kernel's area bounds, and whether it placed this image at random
 * addresses: a setuid, setgid or file-capability exec turns ASLR back on
 * (the kernel clears ADDR_NO_RANDOMIZE, PER_CLEAR_ON_SETID), and replay,
 * which execs the trace's plain copy, must then move everything to where
 * the recording had it (replay_layout.c). */
static void record_layout(pid_t pid, struct ev_exec *x)
{
	char buf[32];
	const char *pers = proc_text(buf, sizeof(buf), "/proc/%d/personality", pid);
	if (*pers && !(strtoul(pers, NULL, 16) & ADDR_NO_RANDOMIZE))
		x->layout |= EXEC_LAYOUT_RANDOM;
	if (maps_mm_at_exec(pid, x->mm) == 0)
		x->nmm = MM_NFIELDS;
}

void rec_exec(struct recorder *r, struct task *t)
{
	rec_syscall_finish_exec(r, t);
	struct process *p = t->proc;
	p->execed = true;
	p->need_page = true;
	p->has_shared = p->has_shared_ro = p->vm_shared = false;   /* a new address space */
	t->sb = 0;                 /* the new image has no slot yet */
	proc_reopen_mem(p);
	/* Killed at its exec stop (a SIGKILL from its family): no registers,
	 * no maps; its death, seen next, is recorded as the end of its execve,
	 * which replay then never runs. */
	if (!pt_getregs(t->tid, &t->regs))
		return;
	/* The fds the program starts with come from outside the recording:
	 * the trace keeps them (HDR_FDS) for the recorded fd tables. */
	pthread_mutex_lock(&r->mu);
	if (p->pid == r->root && !r->fds_text)
		r->fds_text = fdtab_read_proc(p->pid, &r->fds_len);
	pthread_mutex_unlock(&r->mu);

	struct event ev = { .type = EV_EXEC, .tid = t->rec_tid };
	struct ev_exec *x = &ev.exec;
	x->regs = t->regs;
	x->stack_lo = t->regs.rsp;

	struct map *maps = NULL;
	int nmaps = maps_read(p->pid, &maps);
	if (nmaps < 0 && pt_gone(t->tid))
		return;
	if (nmaps < 0)
		fatal("cannot read the memory map of %d: %s", p->pid, strerror(errno));
	struct stack_view sv = { NULL, 0, t->regs.rsp };
	for (int i = 0; i < nmaps; i++)
		if (maps[i].start <= sv.base && sv.base < maps[i].end)
			sv.len = maps[i].end - sv.base;
	if (sv.len)
		sv.p = xmalloc(sv.len);
	if (!sv.len || task_read(t, sv.base, sv.p, sv.len) != (long)sv.len) {
		free(maps);
		free(sv.p);
		if (pt_gone(t->tid))
			return;
		fatal("cannot %s the initial stack of %d after exec", sv.len ? "read" : "find",
		      p->pid);
	}

	/* argc, argv, envp, then the auxiliary vector. */
	size_t off = 8;
	x->argv = stack_strings(&sv, &off, &x->argc);
	x->envp = stack_strings(&sv, &off, &x->envc);
	uint64_t type, val, at_phdr = 0, at_base = 0;
	while (sv_u64(&sv, off, &type) && sv_u64(&sv, off + 8, &val) && type != AT_NULL) {
		if (type == AT_SYSINFO_EHDR && !give_vdso(t, maps, nmaps, val, x)) {
			/* Hide a vDSO we cannot rewrite: libc then makes
			 * clock_gettime & co. as real syscalls, which we record. */
			uint64_t ignore = AT_IGNORE;
			memcpy(sv.p + off, &ignore, 8);
			if (task_write(t, sv.base + off, &ignore, 8) < 0) {
				if (pt_gone(t->tid))
					goto killed;
				fatal("cannot patch the auxiliary vector of %d", p->pid);
			}
		} else if (type == AT_PHDR) {
			at_phdr = val;
		} else if (type == AT_BASE) {
			at_base = val;
		}
		off += 16;
	}
	x->stack = (struct ev_bytes){ sv.p, sv.len };

	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", p->pid);
	char exe[4096];
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	warn_unprivileged(r, path, exe);
	record_layout(p->pid, x);
	x->path = (struct ev_bytes){ (const uint8_t *)exe, strlen(exe) };
	if (rec_store_path(r, path, NULL, true, &x->exe_hash) < 0) {
		if (pt_gone(t->tid))
			goto killed;
		fatal("cannot copy the program %s into the trace: %s", exe, err_get());
	}

	char name[20];
	char image[32];
	snprintf(image, sizeof(image), "%s", files_name(x->exe_hash, name));
	struct elf_info ei;
	uint64_t iaddr = interp_address(path, at_phdr, &ei);
	uint8_t interp_orig[256];
	const char *interp_name = NULL;
	for (int i = 0; i < nmaps && ei.has_interp && at_base; i++) {
		if (maps[i].start != at_base)
			continue;
		interp_name = maps[i].name;
		char mf[96];
		snprintf(mf, sizeof(mf), "/proc/%d/map_files/%llx-%llx", p->pid,
		         (unsigned long long)maps[i].start, (unsigned long long)maps[i].end);
		if (rec_store_path(r, mf, NULL, true, &x->interp_hash) < 0 &&
		    rec_store_path(r, maps[i].name, NULL, true, &x->interp_hash) < 0) {
			if (pt_gone(t->tid))
				goto killed;
			fatal("cannot copy the program's interpreter into the trace: %s", err_get());
		}
		/* Replay runs NAME.x, the program with its PT_INTERP pointed at
		 * this copy, made when needed (files_image). */
		snprintf(image, sizeof(image), "%s.x", name);
		size_t isz = MIN(ei.interp_size, sizeof(interp_orig));
		if (iaddr && task_read(t, iaddr, interp_orig, isz) == (long)isz) {
			x->interp_addr = iaddr;
			x->interp_orig = (struct ev_bytes){ interp_orig, isz };
		}
	}
	x->image = (struct ev_bytes){ (const uint8_t *)image, strlen(image) };

	x->nmaps = nmaps;
	x->maps = xcalloc(nmaps, sizeof(*x->maps));
	for (int i = 0; i < nmaps; i++) {
		struct ev_mapping *m = &x->maps[i];
		m->start = maps[i].start;
		m->end = maps[i].end;
		m->offset = maps[i].offset;
		m->prot = maps[i].prot | (maps[i].shared ? 0x100 : 0);
		m->name = (struct ev_bytes){ (const uint8_t *)maps[i].name, strlen(maps[i].name) };
		if (!strcmp(maps[i].name, exe))
			m->hash = x->exe_hash;
		else if (interp_name && !strcmp(maps[i].name, interp_name))
			m->hash = x->interp_hash;
	}
	rec_emit(r, t, &ev);
	rec_proc_exec(r, p->pid, x);
	free(x->argv);
	free(x->envp);
	free(x->maps);
	free(maps);
	free(sv.p);
	free((void *)x->vdso.p);
	if (!pt_fault_cpuid_at_exec(t->tid, p->memfd, &t->regs))
		return;
	rec_cont(t, 0);
	return;
killed:
	free((void *)x->vdso.p);
	/* As above: killed while we looked; its death comes next. */
	free(x->argv);
	free(x->envp);
	free(maps);
	free(sv.p);
}
