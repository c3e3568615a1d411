/* replay_syscall.c -- check each system call against the trace, then answer
 * it from the trace or run it again.
 *
 * Answering a call costs one stop: at the seccomp stop the syscall number
 * is set to -1 (the kernel skips it) with the recorded result in rax, and
 * the recorded out-memory is written.  When the recorded result is a
 * restart code, or a signal was delivered on the way out, a harmless
 * stand-in (getpid) runs instead and the result is put in place at its
 * exit stop, so the kernel applies its own restart and signal-frame rules
 * exactly as it did when recording.  A restart code with no recorded
 * signal after it means the interrupting signal ran no handler; the
 * kernel's no-handler restart is then applied here directly. */
#include "replay/replay_int.h"
#include "replay/replay_ckpt.h"

#include "core/cpu.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/maps.h"
#include "core/page.h"
#include "core/filter.h"
#include "core/ptrace.h"
#include "core/sig.h"
#include "syscalls/table.h"

#define PATH_CAP 4096

static long read_cb(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return task_read(ctx, addr, buf, len);
}

static void args_of(const struct user_regs_struct *r, uint64_t a[6])
{
	a[0] = r->rdi;
	a[1] = r->rsi;
	a[2] = r->rdx;
	a[3] = r->r10;
	a[4] = r->r8;
	a[5] = r->r9;
}

struct emit_sink {
	int fd;
	uint64_t left;       /* bytes the call really wrote */
	struct rp_ctl *ctl;  /* a session's output callback, if any */
	int *out_errno;      /* the replayer's (see below) */
};

/* The first error writing the program's stdout (1) or stderr (2), in
 * r->out_errno: the replay goes on -- the program sees what it saw when
 * recorded -- but ends with an error (rp_output_error), and writes to
 * that fd no more. */

static void emit_cb(void *ctx, const uint8_t *p, size_t n)
{
	struct emit_sink *s = ctx;
	size_t k = MIN((uint64_t)n, s->left);
	s->left -= k;
	if (!k)
		return;
	if (s->ctl && s->ctl->out) {     /* a libscribe session's callback */
		cpu_allow_tsc(true);
		s->ctl->out(s->ctl->out_ctx, s->fd, p, k);
		cpu_allow_tsc(false);
		return;
	}
	if (__atomic_load_n(&s->out_errno[s->fd], __ATOMIC_RELAXED))
		return;
	if (write_all(s->fd, p, k) == 0)
		return;
	if (errno == EPIPE && !s->ctl)
		raise(SIGPIPE);
	int none = 0;
	__atomic_compare_exchange_n(&s->out_errno[s->fd], &none, errno, false, __ATOMIC_RELAXED,
	                            __ATOMIC_RELAXED);
}

bool rp_output_error(struct replayer *r)
{
	for (int fd = 1; fd <= 2; fd++) {
		int e = __atomic_load_n(&r->out_errno[fd], __ATOMIC_RELAXED);
		if (e) {
			err_set("cannot write the replayed program's %s: %s; the replay "
			        "went on to its end without it", fd == 1 ? "stdout" : "stderr",
			        strerror(e));
			return true;
		}
	}
	return false;
}

/* A signal that killed the task was recorded where the kernel delivered
 * it: inside a call the preload library made without a stop (the call
 * that unblocked it, pthread_create's restoring of the mask), whose
 * record died with the task.  On replay the task, the signal sent but
 * still blocked, reaches the library's next stop instead.  Nothing after
 * a fatal signal is seen: skip that call and let the signal in now. */
static bool fatal_now(struct replayer *r, struct task *t)
{
	const struct event *ev = rp_peek(r, t, 0);
	if (!ev || ev->type != EV_SIGNAL || ev->tid != t->rec_tid || ev->sig.kind != SIGK_FATAL ||
	    ev->sig.signo != t->inject_info.si_signo)
		return false;
	uint64_t mask;
	if (ptrace(PTRACE_GETSIGMASK, t->tid, sizeof(mask), &mask) < 0)
		return false;
	mask &= ~(1ull << (ev->sig.signo - 1));
	if (ptrace(PTRACE_SETSIGMASK, t->tid, sizeof(mask), &mask) < 0)
		return false;
	struct user_regs_struct regs = t->regs;
	regs.orig_rax = -1;            /* the call is not made */
	pt_setregs(t->tid, &regs);
	pt_cont(t->tid, 0);
	return true;
}

/* Kill a task stopped at a syscall entry, as its recorded death says. */
static void die_here(struct task *t)
{
	kill(t->tid, SIGKILL);
	pt_cont(t->tid, 0);
}

/* Compare the call the task makes with the one recorded. */
static void check_call(struct replayer *r, struct task *t, const struct event *ev)
{
	const struct ev_syscall *s = &ev->sys;
	const struct user_regs_struct *regs = &t->regs;
	long nr = (long)regs->orig_rax;
	char want[256];
	if (nr != s->nr) {
		rp_describe(ev, want, sizeof(want));
		rp_diverge(r, t, "expected %s, got %s()", want, sys_name(nr));
	}
	uint64_t a[6];
	args_of(regs, a);
	for (int i = 0; i < s->nargs && i < 6; i++)
		if (a[i] != s->args[i])
			rp_diverge(r, t, "expected %s argument %d = %#llx, got %#llx", sys_name(nr),
			           i + 1, (unsigned long long)s->args[i], (unsigned long long)a[i]);
	const struct sysdesc *d = sys_desc(nr);
	/* The library's calls to scribe come from code whose registers differ
	 * by design between record and replay (preload.c). */
	if ((!d || !(d->flags & SC_SCRIBE)) && regs_hash(regs) != s->reghash)
		rp_diverge(r, t, "expected %s with the recorded registers (ip %#llx), got "
		           "different registers (ip %#llx)", sys_name(nr),
		           (unsigned long long)s->ip, (unsigned long long)regs->rip);
	if (!d)
		return;
	char path[PATH_CAP];
	for (int i = 0, k = 0; i < d->nargs && k < (int)s->nstrings; i++) {
		if (d->args[i] != A_PATH)
			continue;
		const struct ev_bytes *b = &s->strings[k++];
		long n = a[i] ? pt_read_str(t->tid, t->proc->memfd, a[i], path, sizeof(path)) : -1;
		if (n < 0)
			n = 0;
		if ((size_t)n != b->len || memcmp(path, b->p, n))
			rp_diverge(r, t, "expected %s on \"%.*s\", got \"%s\"", sys_name(nr),
			           (int)b->len, (const char *)b->p, path);
	}
	if (s->flags & SYSF_INDATA) {
		struct indata in = {0};
		struct emit_sink sink = { -1, 0, r->ctl, r->out_errno };
		bool emit = (s->flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR)) && !r->opts->quiet;
		if (emit) {
			sink.fd = (s->flags & SYSF_EMIT_OUT) ? 1 : 2;
			sink.left = s->ret > 0 ? (uint64_t)s->ret : 0;
		}
		if (t->in_early) {
			in.hash = t->in_hash;
			in.total = t->in_total;
			if (emit)
				emit_cb(&sink, t->in_bytes.p, t->in_bytes.len);
		} else {
			sys_gather_in(d, read_cb, t, a, 0, &in, emit ? emit_cb : NULL, &sink);
			free(in.prefix);
		}
		if (in.hash != s->inhash || in.total != s->inlen)
			rp_diverge(r, t, "expected %s of %llu recorded bytes, got %llu different bytes",
			           sys_name(nr), (unsigned long long)s->inlen,
			           (unsigned long long)in.total);
	}
	t->in_early = false;
}

static void keep_cb(void *ctx, const uint8_t *p, size_t n)
{
	buf_put(ctx, p, n);
}

/* The task stopped at a call where, when recording, it let the domain go
 * (a blocking call: the kernel took the bytes it writes at the entry, and
 * siblings ran during the call).  Its siblings now run before its event
 * comes up, so take those bytes now, as the kernel did. */
void rp_entry_released(struct replayer *r, struct task *t)
{
	(void)r;
	struct user_regs_struct regs;
	const struct sysdesc *d;
	if (!pt_getregs(t->tid, &regs) || !(d = sys_desc((long)regs.orig_rax)))
		return;
	uint64_t a[6];
	args_of(&regs, a);
	struct indata in;
	t->in_bytes.len = 0;
	if (!sys_gather_in(d, read_cb, t, a, 0, &in, keep_cb, &t->in_bytes))
		return;
	free(in.prefix);
	t->in_early = true;
	t->in_hash = in.hash;
	t->in_total = in.total;
}

static void write_regions(struct replayer *r, struct task *t, const struct ev_syscall *s)
{
	for (uint32_t i = 0; i < s->nregions; i++)
		if (task_write(t, s->regions[i].addr, s->regions[i].data.p, s->regions[i].data.len) < 0)
			rp_diverge(r, t, "cannot write %zu bytes of %s's result at %#llx",
			           s->regions[i].data.len, sys_name(s->nr),
			           (unsigned long long)s->regions[i].addr);
}

/* Is the trace's next event for this task a signal delivered on the way
 * out of the call being replayed? */
static const struct event *signal_after(struct replayer *r, struct task *t)
{
	const struct event *n = rp_peek(r, t, 1);
	if (n && n->tid == t->rec_tid && n->type == EV_SIGNAL && n->sig.kind == SIGK_AFTER_SYSCALL)
		return n;
	return NULL;
}

/* Address of the sigset a SC_SIGMASK call installs for its duration. */
static uint64_t call_sigmask(const struct ev_syscall *s, struct task *t)
{
	switch (s->nr) {
	case SYS_pselect6: {
		uint64_t pair[2];
		if (!s->args[5] || task_read(t, s->args[5], pair, 16) != 16)
			return 0;
		return pair[0];
	}
	case SYS_ppoll: return s->args[3];
	case SYS_epoll_pwait: case SYS_epoll_pwait2: return s->args[4];
	}
	return 0;
}

static void answer(struct replayer *r, struct task *t, const struct event *ev)
{
	const struct ev_syscall *s = &ev->sys;
	const struct event *sig = signal_after(r, t);
	write_regions(r, t, s);
	if (!sig) {
		struct user_regs_struct regs = t->regs;
		regs.orig_rax = -1;
		regs.rax = s->ret;
		if (is_restart_code(s->ret)) {
			/* Interrupted by a signal that ran no handler (ignored, or a
			 * stop): the kernel restarted the call.  Do what its
			 * no-handler path does: back to the syscall instruction. */
			regs.rax = s->ret == -ERESTART_RESTARTBLOCK ? SYS_restart_syscall : s->nr;
			regs.rip -= 2;
		}
		pt_setregs(t->tid, &regs);
		rp_consume(r, t);
		rp_resume(r, t);
		return;
	}
	/* Let the kernel finish the call so its signal and restart logic run:
	 * a stand-in call now, the recorded result at its exit stop. */
	struct user_regs_struct regs = t->regs;
	regs.orig_rax = SYS_getpid;
	uint64_t mask = (sys_desc(s->nr) && (sys_desc(s->nr)->flags & SC_SIGMASK) && sig)
	                ? call_sigmask(s, t) : 0;
	if (mask) {
		/* The call swapped in its own signal mask while it waited:
		 * rt_sigsuspend does the same, and returns at once because the
		 * signal is already pending. */
		regs.orig_rax = SYS_rt_sigsuspend;
		regs.rdi = mask;
		regs.rsi = 8;
	}
	if (sig)
		rp_send_signal(r, t, sig);
	pt_setregs(t->tid, &regs);
	t->entry = t->regs;
	t->rx = RX_ANSWER;
	t->rx_ret = s->ret;
	pt_run_call(t->tid);
}

/* Map the trace's copy of a file (opened, mapped and closed inside the
 * task) at addr, where the recording had it; flags carry MAP_FIXED or
 * MAP_FIXED_NOREPLACE.  A shared object's mappings all map the one scratch
 * copy replay keeps for it. */
/* The descriptor t's process keeps on the object HASH, or -1. */
static int mapfd_find(const struct process *p, uint64_t hash)
{
	for (int i = 0; i < p->nmapfds; i++)
		if (p->mapfds[i].hash == hash)
			return p->mapfds[i].fd;
	return -1;
}

static void mapfd_add(struct process *p, uint64_t hash, int fd)
{
	p->mapfds = xrealloc(p->mapfds, (p->nmapfds + 1) * sizeof(*p->mapfds));
	p->mapfds[p->nmapfds++] = (struct mapfd){ hash, fd };
}

/* A private map of a copy the process has open: the pending call itself
 * becomes that mmap, with no call injected.  The dynamic loader maps
 * each library four or five times, one call after another. */
static void map_again(struct replayer *r, struct task *t, int fd, uint64_t addr, uint64_t len,
                      uint64_t prot, uint64_t flags, uint64_t off)
{
	struct user_regs_struct regs = t->regs;
	regs.orig_rax = SYS_mmap;
	regs.rdi = addr;
	regs.rsi = len;
	regs.rdx = prot;
	regs.r10 = flags;
	regs.r8 = (uint64_t)fd;
	regs.r9 = off;
	const struct event *sig = signal_after(r, t);   /* as for anonymous maps */
	if (sig)
		rp_send_signal(r, t, sig);
	pt_setregs(t->tid, &regs);
	pt_run_call(t->tid);            /* RX_MMAP checks the address */
}

static void map_copy(struct replayer *r, struct task *t, const struct ev_syscall *s,
                     uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t off)
{
	int kept = (s->flags & SYSF_SHARED) ? -1 : mapfd_find(t->proc, s->filehash);
	if (kept >= 0) {
		map_again(r, t, kept, addr, len, prot, flags, off);
		return;
	}
	char name[256];
	bool shared = s->flags & SYSF_SHARED;
	if (shared) {
		char *p = rp_shared_object(r, s->shobj, s->filehash);
		if (strlen(p) >= sizeof(name))
			fatal("the replay scratch directory's path is too long: %s", p);
		snprintf(name, sizeof(name), "%s", p);
		free(p);
	} else {
		if (files_verify(r->files, s->filehash) < 0)
			fatal("%s", err_get());
		snprintf(name, sizeof(name), "./%016llx", (unsigned long long)s->filehash);
	}
	/* Relative to the task's working directory, which replay set to the
	 * objects directory, or absolute (a scratch copy). */
	int n = strlen(name);
	uint64_t scratch = (t->regs.rsp - 1024 - sizeof(name)) & ~15ull;
	char saved[sizeof(name)];
	if (task_read(t, scratch, saved, sizeof(saved)) != sizeof(saved) ||
	    task_write(t, scratch, name, n + 1) < 0)
		rp_diverge(r, t, "cannot reach the stack to map a file");
	bool at_entry = true;
	int oflags = shared && (prot & PROT_WRITE) ? O_RDWR : O_RDONLY;
	long fd = pt_inject(t->tid, &t->regs, &at_entry, SYS_openat, AT_FDCWD, scratch,
	                    oflags | O_CLOEXEC, 0, 0, 0);
	task_write(t, scratch, saved, sizeof(saved));
	if (fd < 0)
		fatal("cannot open the trace's copy of a mapped file (%s, from %s): %s",
		      name, files_dir(r->files), strerror(-fd));
	long got = pt_inject(t->tid, &t->regs, &at_entry, SYS_mmap, addr, len, prot, flags, fd, off);
	if (shared)
		pt_inject(t->tid, &t->regs, &at_entry, SYS_close, fd, 0, 0, 0, 0, 0);
	else
		mapfd_add(t->proc, s->filehash, (int)fd);   /* for its next maps */
	if (got != (long)addr)
		rp_diverge(r, t, "expected %s of a file at %#llx, got %#lx", sys_name(s->nr),
		           (unsigned long long)addr, (unsigned long)got);
	struct user_regs_struct regs = t->regs;
	regs.rax = s->ret;
	pt_setregs(t->tid, &regs);
	t->rx = RX_NONE;
	rp_consume(r, t);
	rp_resume(r, t);
}

/* shmat: the segment's copy, mapped whole (page-rounded, as the kernel
 * does) at the recorded address. */
static void replay_shmat(struct replayer *r, struct task *t, const struct ev_syscall *s)
{
	if (!(s->flags & SYSF_FILE))
		rp_diverge(r, t, "the trace has no copy of the SysV segment attached here");
	if (files_verify(r->files, s->filehash) < 0)
		fatal("%s", err_get());
	char *path = files_object(r->files, s->filehash);
	struct stat st;
	if (stat(path, &st) < 0)
		fatal("cannot read the trace's copy of a SysV segment (%s): %s", path,
		      strerror(errno));
	free(path);
	uint64_t page = sysconf(_SC_PAGESIZE);
	uint64_t len = ((uint64_t)st.st_size + page - 1) & ~(page - 1);
	uint64_t shmflg = s->args[2];
	uint64_t prot = PROT_READ | (shmflg & SHM_RDONLY ? 0 : PROT_WRITE) |
	                (shmflg & SHM_EXEC ? PROT_EXEC : 0);
	uint64_t flags = MAP_SHARED | (shmflg & SHM_REMAP ? MAP_FIXED : MAP_FIXED_NOREPLACE);
	map_copy(r, t, s, s->ret, len, prot, flags, 0);
}

/* shmdt: the kernel would find no SysV segment at the address (replay
 * mapped a file there), so unmap the mapping that starts there instead. */
static void replay_shmdt(struct replayer *r, struct task *t, const struct ev_syscall *s)
{
	struct map *maps;
	int n = maps_read(t->tid, &maps);
	uint64_t end = 0;
	for (int i = 0; i < n; i++)
		if (maps[i].start == s->args[0] || (end && maps[i].start == end &&
		                                    maps[i].inode == maps[i - 1].inode))
			end = maps[i].end;
	if (n >= 0)
		free(maps);
	if (!end)
		rp_diverge(r, t, "expected a SysV segment attached at %#llx to detach",
		           (unsigned long long)s->args[0]);
	struct user_regs_struct regs = t->regs;
	regs.orig_rax = SYS_munmap;
	regs.rsi = end - s->args[0];
	pt_setregs(t->tid, &regs);
	pt_run_call(t->tid);
}

/* mmap/mremap/shmat/shmdt: map at the recorded address. */
static void replay_mmap(struct replayer *r, struct task *t, const struct event *ev)
{
	const struct ev_syscall *s = &ev->sys;
	if (sys_failed(s->ret)) {
		answer(r, t, ev);
		return;
	}
	struct user_regs_struct regs = t->regs;
	t->entry = t->regs;
	t->rx = RX_MMAP;
	t->rx_ret = s->ret;

	if (s->nr == SYS_shmat) {
		replay_shmat(r, t, s);
		return;
	}
	if (s->nr == SYS_shmdt) {
		replay_shmdt(r, t, s);
		return;
	}
	if (s->nr == SYS_mremap) {
		if ((s->args[3] & MREMAP_MAYMOVE) && (uint64_t)s->ret != s->args[0]) {
			regs.r10 = s->args[3] | MREMAP_FIXED;
			regs.r8 = s->ret;
		}
		pt_setregs(t->tid, &regs);
		pt_run_call(t->tid);
		return;
	}
	uint64_t flags = s->args[3];
	uint64_t fixed = (flags & MAP_FIXED) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	if (!(s->flags & SYSF_FILE)) {
		if (s->flags & SYSF_ANON)
			flags |= MAP_ANONYMOUS;
		regs.rdi = s->ret;
		regs.r10 = (flags & ~(uint64_t)MAP_FIXED) | fixed;
		if (flags & MAP_ANONYMOUS) {
			regs.r8 = -1;
			regs.r9 = 0;
		}
		/* A signal taken on the way out: pending before the call runs,
		 * it is delivered when the call returns (mmap does not stop
		 * for signals). */
		const struct event *sig = signal_after(r, t);
		if (sig)
			rp_send_signal(r, t, sig);
		pt_setregs(t->tid, &regs);
		pt_run_call(t->tid);
		return;
	}
	/* A private mapping maps the copy privately: writes stay in memory. */
	uint64_t mflags = (s->flags & SYSF_SHARED) ? (flags & ~(uint64_t)MAP_FIXED) | fixed :
	                  (flags & ~(uint64_t)(MAP_SHARED | MAP_SHARED_VALIDATE | MAP_FIXED)) |
	                  MAP_PRIVATE | fixed;
	map_copy(r, t, s, s->ret, s->args[1], s->args[2], mflags, s->args[5]);
}

void rp_wake_output(struct replayer *r)
{
	if (!__atomic_load_n(&r->outwaiters, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&r->out_mu);
	uint64_t next = r->outseq;
	struct task *go = NULL;
	for (struct task **pp = &r->outwait[self->id]; *pp; pp = &(*pp)->outwait_next) {
		const struct event *ev = rp_peek(r, *pp, 0);
		if (ev && ev->sys.outseq == next) {
			go = *pp;
			*pp = go->outwait_next;
			go->outwait_next = NULL;
			r->outwaiters--;
			break;
		}
	}
	pthread_mutex_unlock(&r->out_mu);
	if (go)
		rp_syscall_entry(r, go);
}

/* Is it this output's turn?  If not, the task waits (stopped at the call)
 * in this thread's list until a thread writes the output before it. */
static bool output_turn(struct replayer *r, struct task *t, uint64_t seq)
{
	pthread_mutex_lock(&r->out_mu);
	bool turn = seq == r->outseq;
	if (seq < r->outseq) {
		pthread_mutex_unlock(&r->out_mu);
		rp_diverge(r, t, "output number %llu was already written (corrupt trace)",
		           (unsigned long long)seq);
	}
	if (!turn) {
		t->outwait_next = r->outwait[self->id];
		r->outwait[self->id] = t;
		r->outwaiters++;
	}
	pthread_mutex_unlock(&r->out_mu);
	return turn;
}

/* The output went out: the next one may go, in whichever thread. */
static void output_done(struct replayer *r)
{
	pthread_mutex_lock(&r->out_mu);
	r->outseq++;
	bool waiters = r->outwaiters > 0;
	pthread_mutex_unlock(&r->out_mu);
	if (waiters)
		for (int i = 0; i < r->ws.n; i++)
			if (&r->ws.w[i] != self)
				worker_wake(&r->ws.w[i]);
}
/* A write into a shared object's file (SYSF_OBJWRITE): the bytes are in
 * the program's memory, as they were (check_call compared their hash):
 * one buffer (write, pwrite64) or a vector of them (writev, pwritev). */
static void shared_write(struct replayer *r, struct task *t, const struct ev_syscall *s)
{
	size_t len = (size_t)s->ret, got = 0;
	char *p = xmalloc(len ? len : 1);
	bool vec = s->nr == SYS_writev || s->nr == SYS_pwritev;
	for (uint64_t i = 0; got < len && (vec ? i < s->args[2] && i < 1024 : i < 1); i++) {
		struct iovec v = { (void *)s->args[1], len };
		if (vec && task_read(t, s->args[1] + i * sizeof(v), &v, sizeof(v)) != sizeof(v))
			break;
		size_t n = MIN(v.iov_len, len - got);
		if (task_read(t, (uint64_t)v.iov_base, p + got, n) != (long)n)
			break;
		got += n;
	}
	if (got != len)
		rp_diverge(r, t, "cannot read the bytes %s() wrote to a shared file",
		           sys_name(s->nr));
	rp_shared_write(r, s->shobj, s->objoff, p, len);
	free(p);
}


/* With no filter (PTRACE_SYSEMU) the calls the preload library and the
 * loader stub make through the scribe page stop too; the filter would
 * have let them through: make them, and let the task go on.  Such a stop
 * is never one where the task is parked (rp_on_wait): the domain could
 * switch there, which it never did when recording. */
bool rp_page_call(struct task *t, int status)
{
	if (!pt_sysemu() || !WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80) ||
	    ((unsigned)status >> 16))
		return false;
	struct user_regs_struct g;
	/* (both name the ip after the syscall instruction) */
	if (!pt_getregs(t->tid, &g) ||
	    (g.rip != SCRIBE_PAGE_SYSCALL_IP && g.rip != SCRIBE_PAGE_BUFFER_IP) ||
	    !pt_at_entry(t->tid))
		return false;
	long ret = pt_call_at(t->tid, &g, SCRIBE_PAGE, (long)g.orig_rax, g.rdi, g.rsi, g.rdx,
	                      g.r10, g.r8, g.r9);
	if (ret == -ESRCH && pt_gone(t->tid))
		return true;                   /* SIGKILLed: seen next */
	g.rax = ret;
	g.orig_rax = -1;
	pt_setregs(t->tid, &g);
	pt_cont(t->tid, 0);
	return true;
}

void rp_syscall_entry(struct replayer *r, struct task *t)
{
	pt_getregs(t->tid, &t->regs);
	if (!t->proc->execed) {        /* the child's own execve of the image */
		/* (with no filter: a call of its start-up that stopped because
		 * a pause interrupted it and PTRACE_SYSEMU resumed it; made) */
		pt_run_free(t->tid);
		return;
	}
	if (t->proc->need_page) {
		t->proc->need_page = false;
		/* As recorded: with the loader stub, the same sites patched. */
		struct sb_hdr ld = { .magic = SB_MAGIC, .mode = SB_REPLAY, .owner = (uint32_t)t->tid };
		if (page_map(t->tid, t->proc->memfd, &t->regs, r->hdr.ldstub ? &ld : NULL) == 1)
			t->sb = SB_LD_SLOT;        /* dead (-1): seen next */
		return;
	}
	if ((long)t->regs.orig_rax == SB_SYS_DIVERGE)
		rp_sb_diverged(r, t);
	rp_sb_settle(r, t);
	if (t->injecting && fatal_now(r, t))
		return;
	if (t->injecting)
		rp_diverge(r, t, "expected %s to be delivered, got a %s() call first",
		           sig_name(t->inject_info.si_signo), sys_name((long)t->regs.orig_rax));
	const struct event *ev = rp_peek(r, t, 0);
	if (!ev)
		rp_trace_ended(r, t, sys_name((long)t->regs.orig_rax));
	if (ev->type == EV_SIGNAL && ev->tid == t->rec_tid &&
	    (ev->sig.kind == SIGK_AT_SYSCALL ||
	     (ev->sig.kind == SIGK_FATAL && ev->sig.ip == t->regs.rip - 2))) {
		/* A fatal one at the syscall instruction: the task stopped
		 * there when recording (a job-control stop let in at this
		 * entry puts the call back, record_jobctl.c) and the signal
		 * came before it made the call again. */
		rp_deliver_at_syscall(r, t, ev);
		return;
	}
	if (rp_sigkill_death(ev) && ev->tid == t->rec_tid) {
		/* SIGKILLed from outside before this call when recording: its
		 * killer's signal came after it was let go here, while another
		 * task's events came first in its stream.  The call has not run,
		 * nothing of it is seen: it dies now, and the death is checked
		 * when it is collected. */
		die_here(t);
		return;
	}
	if (ev->type != EV_SYSCALL || ev->tid != t->rec_tid) {
		char want[256];
		rp_describe(ev, want, sizeof(want));
		rp_diverge(r, t, "expected %s, got %s()", want, sys_name((long)t->regs.orig_rax));
	}
	const struct ev_syscall *s = &ev->sys;
	bool emits = s->flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR);
	/* Another domain's output may have come first when recording. */
	if (emits && !output_turn(r, t, s->outseq))
		return;
	check_call(r, t, ev);
	if (emits) {
		output_done(r);
		rp_wake_output(r);
	}
	const struct sysdesc *d = sys_desc(s->nr);
	if (s->flags & SYSF_UNSUPPORTED && !r->warned_unsupported) {
		r->warned_unsupported = true;
		warn("event %llu: %s was recorded without its memory effects; the replay "
		     "may not be faithful from here", (unsigned long long)rp_index(r, t),
		     sys_name(s->nr));
	}
	if (d && (d->flags & SC_SCRIBE))
		rp_sb_call(r, t, ev);
	if (s->nr == SYS_ftruncate && (s->flags & SYSF_SHARED))
		rp_shared_resize(r, s->shobj, s->args[1]);
	if (s->flags & SYSF_OBJWRITE)
		shared_write(r, t, s);
	rp_golive_waited(r, s);
	if (flt_is_install(t)) {
		/* As recorded: behind scribe's prefix, the buffer off. */
		long got = flt_install(t, true);
		if (got == -ESRCH)
			return;                   /* SIGKILLed: seen next */
		if (got != s->ret)
			rp_diverge(r, t, "the program's seccomp filter went in with %ld, recorded %lld",
			           got, (long long)s->ret);
		if (got >= 0)
			flt_buffer_off(t);
	}
	if (!d || (s->flags & SYSF_ANSWERED) || (d->flags & SC_EMU)) {
		answer(r, t, ev);
		return;
	}
	if ((d->flags & SC_EXIT) || ((d->flags & SC_EXEC) && s->ret == 0)) {
		const struct event *next = rp_peek(r, t, 1);
		if (rp_sigkill_death(next) && next->tid == t->rec_tid) {
			/* SIGKILLed from outside at this very stop when recording:
			 * an exit or an exec has its event before it ends, but the
			 * call never ran (an exec's new image was never looked at,
			 * record_exec.c).  It dies of the signal here. */
			rp_consume(r, t);
			die_here(t);
			return;
		}
	}
	if (d->flags & SC_EXIT) {
		rp_consume(r, t);
		pt_run_on(t->tid);      /* the domain moves on at its death */
		return;
	}
	if ((d->flags & SC_FORK) && s->ret >= 0) {
		rp_fork_call(r, t);
		return;
	}
	if ((d->flags & SC_EXEC) && s->ret == 0) {
		rp_exec_call(r, t, ev);
		return;
	}
	if (d->flags & SC_MMAP) {
		replay_mmap(r, t, ev);
		return;
	}
	if ((d->flags & (SC_REEXEC | SC_FIXRET)) && !(d->flags & SC_FORK)) {
		const struct event *sig = signal_after(r, t);
		if (sig)   /* pending before the call runs: rt_sigsuspend returns */
			rp_send_signal(r, t, sig);
		rp_ckpt_note_call(t);
		t->entry = t->regs;
		t->rx = RX_REEXEC;
		t->rx_ret = s->ret;
		t->rx_fixret = (d->flags & SC_FIXRET) != 0;
		pt_run_call(t->tid);
		return;
	}
	answer(r, t, ev);
}

void rp_syscall_exit(struct replayer *r, struct task *t)
{
	struct user_regs_struct regs;
	pt_getregs(t->tid, &regs);
	int rx = t->rx;
	t->rx = RX_NONE;
	if ((rx == RX_REEXEC || rx == RX_FORK || rx == RX_MMAP) &&
	    is_restart_code((int64_t)regs.rax) && !is_restart_code(t->rx_ret)) {
		/* A signal that is not part of the recording (SIGCHLD from a
		 * real child exiting) interrupted the call: the kernel makes it
		 * again once that signal is dropped, and so do we. */
		pt_cont(t->tid, 0);
		return;
	}
	switch (rx) {
	case RX_ANSWER:
		/* The stand-in ran; put the recorded call back in place. */
		regs = t->entry;
		regs.rax = t->rx_ret;
		pt_setregs(t->tid, &regs);
		break;
	case RX_REEXEC:
		if (t->rx_fixret) {
			regs.rax = t->rx_ret;
			pt_setregs(t->tid, &regs);
		} else if ((int64_t)regs.rax != t->rx_ret) {
			rp_diverge(r, t, "expected %s to return %lld, got %lld",
			           sys_name((long)t->entry.orig_rax), (long long)t->rx_ret,
			           (long long)(int64_t)regs.rax);
		}
		break;
	case RX_FORK:
		rp_fork_exit(r, t, &regs);
		return;
	case RX_EXEC:
		rp_diverge(r, t, "the exec of the trace's copy of the program failed: %s",
		           strerror(-(int64_t)regs.rax));
	case RX_MMAP: {
		int64_t got = (int64_t)regs.rax;
		if (got != t->rx_ret)
			rp_diverge(r, t, "expected %s at %#llx, got %#llx%s",
			           sys_name((long)t->entry.orig_rax), (unsigned long long)t->rx_ret,
			           (unsigned long long)got,
			           got == -EEXIST ? " (the address is taken)" : "");
		regs = t->entry;           /* restore the arguments we changed */
		regs.rax = got;
		pt_setregs(t->tid, &regs);
		break;
	}
	default:
		pt_cont(t->tid, 0);        /* exit stop of an injected call */
		return;
	}
	rp_consume(r, t);
	rp_resume(r, t);
}
