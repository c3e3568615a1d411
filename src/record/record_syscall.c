/* record_syscall.c -- record one system call: arguments and the bytes it
 * reads at entry, result and the memory the kernel wrote at exit. */
#include "record/record_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/dirty.h"
#include "core/maps.h"
#include "core/page.h"
#include "core/filter.h"
#include "core/ptrace.h"
#include "syscalls/table.h"

#define PATH_CAP   4096
#define IN_PREFIX  32

static void keep_affinity(struct task *t);
static bool capture_mapped_file(struct recorder *r, struct task *t, struct event *join);

static long read_cb(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return task_read(ctx, addr, buf, len);
}

/* Capture callback: copy [addr, addr+len) into the task's capture buffer. */
static void region_cb(void *ctx, uint64_t addr, uint64_t len)
{
	struct task *t = ctx;
	buf_reserve(&t->cap, len);
	long got = task_read(t, addr, t->cap.p + t->cap.len, len);
	if (got <= 0)
		return;
	t->regions = xgrow(t->regions, t->nregions, &t->cap_regions, sizeof(*t->regions), 8);
	/* Store the offset now; pointers are fixed once the buffer stops moving. */
	t->regions[t->nregions++] = (struct ev_region){ addr, { (const uint8_t *)(uintptr_t)t->cap.len, got } };
	t->cap.len += got;
}

/* Add a string argument to the capture buffer, returning its offset. */
static void capture_path(struct task *t, uint64_t addr, struct ev_bytes *out)
{
	buf_reserve(&t->cap, PATH_CAP);
	long n = addr ? pt_read_str(t->tid, t->proc->memfd, addr, (char *)t->cap.p + t->cap.len, PATH_CAP) : -1;
	if (n < 0)
		n = 0;
	out->p = (const uint8_t *)(uintptr_t)t->cap.len;
	out->len = n;
	t->cap.len += n;
}

/* Turn capture-buffer offsets into pointers, just before emitting. */
static void fix_pointers(struct task *t)
{
	struct ev_syscall *s = &t->ev.sys;
	for (uint32_t i = 0; i < s->nstrings; i++)
		s->strings[i].p = t->cap.p + (uintptr_t)s->strings[i].p;
	for (uint32_t i = 0; i < t->nregions; i++)
		t->regions[i].data.p = t->cap.p + (uintptr_t)t->regions[i].data.p;
	s->regions = t->regions;
	s->nregions = t->nregions;
}

/* Does the task's fd refer to the same open file as the program's
 * stdout (which 1) or stderr (2), our fd r->out_fd[which - 1]? */
static bool same_open_file(struct recorder *r, pid_t tracee, int fd, int which)
{
	return syscall(SYS_kcmp, getpid(), tracee, KCMP_FILE, r->out_fd[which - 1], fd) == 0;
}

static void capture_indata(struct recorder *r, struct task *t, const struct sysdesc *d)
{
	struct ev_syscall *s = &t->ev.sys;
	struct indata in;
	if (!sys_gather_in(d, read_cb, t, s->args, IN_PREFIX, &in, NULL, NULL))
		return;
	s->flags |= SYSF_INDATA;
	s->inhash = in.hash;
	s->inlen = in.total;
	t->inprefix.len = 0;
	buf_put(&t->inprefix, in.prefix, in.prefix_len);
	s->inprefix = (struct ev_bytes){ t->inprefix.p, in.prefix_len };
	free(in.prefix);
	/* Re-emitted on replay when it went to our stdout/stderr: decided by
	 * what the descriptor is, not by its number. */
	int fd = (int)s->args[0];
	if (same_open_file(r, t->tid, fd, 1))
		s->flags |= SYSF_EMIT_OUT;
	else if (same_open_file(r, t->tid, fd, 2))
		s->flags |= SYSF_EMIT_ERR;
}

/* Is the task's fd our stdout or stderr (what replay shows again)? */
static bool to_our_output(struct recorder *r, struct task *t, int fd)
{
	return same_open_file(r, t->tid, fd, 1) || same_open_file(r, t->tid, fd, 2);
}

/* A write to our stdout or stderr runs to its exit stop right here, and
 * is numbered there, while no other tracer thread lets one run: the
 * numbers are then the order the kernel wrote them in, which replay
 * shows again.  Numbered at the exit stop as other calls are, two
 * domains' writes took the order their tracer threads happened to see
 * their exits in (perl-fork: children printing to one stdout).  A write
 * that blocks (a full pipe) holds back the other domains' outputs
 * meanwhile, and their threads; the domain itself is kept. */
static void output_call(struct recorder *r, struct task *t)
{
	/* Waits that a second SIGTERM ends, as the worker loop's do: a write
	 * may block for good (a full pipe), and so this thread, and the others
	 * at their next output. */
	for (;;) {
		uint64_t until = now_ns() + 100 * 1000000ull;   /* not the vDSO's clock (util.c) */
		struct timespec ts = { (time_t)(until / 1000000000), (long)(until % 1000000000) };
		if (pthread_mutex_timedlock(&r->out_mu, &ts) == 0)
			break;
		rec_check_interrupt(r);
	}
	pt_syscall(t->tid, 0);
	int status;
	while (waitpid(t->tid, &status, __WALL) < 0) {
		if (errno != EINTR)
			fatal("waitpid %d: %s", t->tid, strerror(errno));
		rec_check_interrupt(r);
	}
	if (WIFSTOPPED(status) && WSTOPSIG(status) == (SIGTRAP | 0x80) && !(status >> 16)) {
		t->ev.sys.outseq = r->outseq++;
		t->out_numbered = true;
	}
	pthread_mutex_unlock(&r->out_mu);
	/* Anything else (a death, a stop before the exit) goes where the
	 * worker loop sends it; the exit, if it comes, is numbered then. */
	rec_dispatch(r, t, status);
}

/* A holder that has kept its domain 50 ms while a sibling waits (by the
 * clock here: a thread that makes syscalls spends its time stopped, not
 * on its CPU, which the preemption tick counts), or whose CPU slice ran
 * out as it reached a stop, lets the domain go at its next call that
 * only reads the clock or its ids, as if the call could block.  (Not at
 * just any call replay answers from the trace: a kill made with the
 * domain let go broke job-stop's replay.)  A thread
 * polling with raw syscalls (getppid; clock_gettime: Go's runtime waiting
 * for a goroutine to stop) otherwise kept the domain for good, and the
 * sibling it waited for never ran (poll-yield: the recording hung). */
#define YIELD_NS (50ull * 1000000)

static bool yields(struct recorder *r, struct task *t, long nr)
{
	if (nr != SYS_clock_gettime && nr != SYS_gettimeofday && nr != SYS_time &&
	    nr != SYS_getpid && nr != SYS_getppid && nr != SYS_gettid)
		return false;
	if (!t->slice_over) {
		bool contended;
		if (!rec_holds(r, t, &contended) || !contended) {
			t->held_since_ns = 0;
			return false;
		}
		uint64_t now = mono_ns();
		if (!t->held_since_ns)
			t->held_since_ns = now;
		if (now - t->held_since_ns < YIELD_NS)
			return false;
	}
	t->slice_over = false;
	t->slice_cpu0 = 0;
	t->held_since_ns = 0;
	return true;
}

static void begin_event(struct task *t, const struct sysdesc *d)
{
	struct event *ev = &t->ev;
	memset(ev, 0, sizeof(*ev));
	ev->type = EV_SYSCALL;
	ev->tid = t->rec_tid;
	struct ev_syscall *s = &ev->sys;
	const struct user_regs_struct *r = &t->regs;
	s->nr = (int32_t)r->orig_rax;
	s->nargs = d ? d->nargs : 6;
	uint64_t a[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	memcpy(s->args, a, sizeof(a));
	s->ip = r->rip;
	s->reghash = regs_hash(r);
	t->cap.len = 0;
	t->nregions = 0;
}

/* Answer the call ourselves without running it (rseq, io_uring: -ENOSYS
 * so libc falls back to plain syscalls; ptrace: -EPERM). */
void rec_answer(struct recorder *r, struct task *t, long ret)
{
	struct user_regs_struct regs = t->regs;
	regs.orig_rax = -1;
	regs.rax = ret;
	pt_setregs(t->tid, &regs);
	t->ev.sys.ret = ret;
	t->ev.sys.flags |= SYSF_RESULT | SYSF_ANSWERED;
	fix_pointers(t);
	rec_emit(r, t, &t->ev);
	t->after_syscall = true;
	t->exit_regs = regs;
	rec_cont(t, 0);
}

void rec_syscall_entry(struct recorder *r, struct task *t)
{
	if (!t->regs_fresh && !pt_getregs(t->tid, &t->regs))
		return;                   /* SIGKILLed since it stopped */
	t->regs_fresh = false;
	if (!t->proc->execed) {       /* our own child code before its exec */
		rec_cont(t, 0);
		return;
	}
	if (t->proc->need_page) {
		struct sb_hdr ld;
		t->proc->need_page = false;
		/* dead (-1): seen next */
		if (page_map(t->tid, t->proc->memfd, &t->regs, rec_sb_ld_header(r, t, &ld)) == 1) {
			t->sb = SB_LD_SLOT;
			rec_sb_ld_known(r, t);
		}
		return;
	}
	long nr = (long)t->regs.orig_rax;
	rec_sb_flush(r, t);
	/* Not inside the preload library's calls: it is on its own stack. */
	if (t->held && nr != SB_SYS_FLUSH && nr != SB_SYS_DIVERGE) {
		/* Held signals blocked since go back to the kernel; a stop a
		 * SIGCONT cancelled is dropped; the rest are let in here. */
		if (!rec_held_now_blocked(t))
			rec_held_stop_cancelled(t);
		if (t->held) {
			rec_deliver_held(r, t);
			return;
		}
	}
	const struct sysdesc *d = sys_desc(nr);
	begin_event(t, d);
	struct ev_syscall *s = &t->ev.sys;
	if (d && (d->flags & SC_SCRIBE)) {
		rec_sb_call(r, t, nr);
		return;
	}
	if (!d) {
		s->flags |= SYSF_UNSUPPORTED;
		rec_warn_once(r, sys_name(nr), "%s is not supported: its effects on memory are "
		              "not recorded and replay may diverge after it", sys_name(nr));
	} else {
		for (int i = 0; i < d->nargs && s->nstrings < 2; i++)
			if (d->args[i] == A_PATH)
				capture_path(t, s->args[i], &s->strings[s->nstrings++]);
		if (d->in_kind)
			capture_indata(r, t, d);
		if (nr == SYS_ioctl && !sys_ioctl_known(s->args[1])) {
			char key[32];
			snprintf(key, sizeof(key), "ioctl:%#llx", (unsigned long long)s->args[1]);
			rec_warn_once(r, key, "ioctl request %#llx is not known: its effects on "
			              "memory are not recorded", (unsigned long long)s->args[1]);
		}
	}
	if (d && (d->flags & SC_ENOSYS)) {
		rec_answer(r, t, -ENOSYS);
		return;
	}
	if (flt_is_install(t)) {
		/* A sandbox: its filter goes in behind scribe's prefix. */
		long ret = flt_install(t, false);
		if (ret == -ESRCH)
			return;                   /* SIGKILLed: seen next */
		if (ret >= 0) {
			t->proc->own_filter = true;
			flt_buffer_off(t);
		}
		rec_answer(r, t, ret);
		return;
	}
	if (d && d->in_kind == I_KERNEL && to_our_output(r, t, (int)s->args[d->in_arg])) {
		/* The kernel would move these bytes to our stdout or stderr
		 * without their ever being in the program's memory, so replay
		 * could not show them again.  EINVAL, as from a descriptor that
		 * does not support the call: programs fall back to read and
		 * write (coreutils cat does, with copy_file_range). */
		rec_answer(r, t, -EINVAL);
		return;
	}
	if (d && (d->flags & SC_NOOP)) {
		if (nr == SYS_sched_setaffinity)
			keep_affinity(t);
		rec_answer(r, t, 0);
		return;
	}
	if (d && (d->flags & SC_EPERM)) {
		rec_warn_once(r, d->name, "the program called %s; scribe answered EPERM", d->name);
		rec_answer(r, t, -EPERM);
		return;
	}
	if (d && (d->flags & SC_EXIT)) {
		/* Never returns.  The domain stays held until the task is gone:
		 * on its way out the kernel clears its tid in memory and wakes
		 * pthread_join (CLONE_CHILD_CLEARTID), which siblings must not
		 * race with. */
		fix_pointers(t);
		rec_emit(r, t, &t->ev);
		rec_cont(t, 0);
		return;
	}
	bool yield = d && yields(r, t, nr);
	if (!rec_shared_fd_entry(r, t) && !yield && rec_late_ok(t, d)) {
		/* The file is kept now: by the next stop, a buffered close and
		 * open may have given its descriptor to another file. */
		struct event join = {0};
		if (nr == SYS_mmap)
			capture_mapped_file(r, t, &join);
		rec_late_start(t);
		return;
	}
	t->in_syscall = true;
	if (s->flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR)) {
		output_call(r, t);
		return;
	}
	pt_syscall(t->tid, 0);
	if (d && ((d->flags & SC_BLOCK) || yield)) {
		/* May wait for a sibling: let the domain go meanwhile.  The
		 * event is written when the call returns and t gets it back. */
		t->released = true;
		rec_release(r, t);
	}
}

/* Keep a copy of what the mapping (path names its file or object, through
 * /proc) holds now, so replay maps the same bytes even if the file changes
 * or disappears.  Returns true if the task must wait: it mapped an object
 * that joins its domain to others. */
static bool store_mapping(struct recorder *r, struct task *t, const char *path, bool shared,
                          bool writable, struct event *join)
{
	struct ev_syscall *s = &t->ev.sys;
	struct stat st;
	if (stat(path, &st) < 0) {
		rec_warn_once(r, "mmap-file", "cannot copy a file or segment the program mapped "
		              "(%s); replay will fail there", strerror(errno));
	} else if (S_ISCHR(st.st_mode)) {
		s->flags |= SYSF_ANON;    /* /dev/zero and friends */
	} else if (rec_store_path(r, path, &st, false, &s->filehash) == 0) {
		s->flags |= SYSF_FILE;
		if (shared) {
			s->flags |= SYSF_SHARED;
			bool wait = rec_shared_object(r, t, st.st_dev, st.st_ino, writable, &s->shobj,
			                              join);
			/* The tasks here (the domain's) stop buffering writes
			 * to it before they run again; others at their next
			 * stop. */
			for (struct task *k = self->t.tasks; k; k = k->next)
				rec_share_tell(r, k);
			return wait;
		}
		/* A private map of a file mapped shared already sees what the
		 * shared maps write, until it writes a page itself: replay maps
		 * the same copy, privately. */
		if (rec_shared_known(r, st.st_dev, st.st_ino, &s->shobj))
			s->flags |= SYSF_SHARED;
	} else if (errno == ENOSPC || errno == EDQUOT || errno == EIO || errno == EFBIG ||
	           errno == EROFS) {
		/* Out of space or I/O error: the trace cannot be replayed past
		 * this point, so stop like any other trace write failure. */
		fatal("%s; the recording was stopped", err_get());
	} else {
		rec_warn_once(r, "mmap-file", "cannot copy a file or segment the program mapped "
		              "(%s); replay will fail there", err_get());
	}
	return false;
}

/* mmap of a file, through the task's own descriptor. */
static bool capture_mapped_file(struct recorder *r, struct task *t, struct event *join)
{
	struct ev_syscall *s = &t->ev.sys;
	if (sys_failed(s->ret))
		return false;
	if ((s->args[3] & MAP_ANONYMOUS) || (int)s->args[4] < 0)
		return false;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", t->tid, (int)s->args[4]);
	unsigned type = s->args[3] & 0x3;   /* MAP_SHARED, _PRIVATE, _SHARED_VALIDATE */
	return store_mapping(r, t, path, type == MAP_SHARED || type == MAP_SHARED_VALIDATE,
	                     (s->args[2] & PROT_WRITE) != 0, join);
}

/* shmat: a SysV segment is a file of the kernel's shm mount (its inode is
 * the segment id), reachable through /proc/TID/map_files once mapped.
 * Stored and numbered like any MAP_SHARED file, so replay maps one shared
 * copy of it wherever the recording attached it. */
static bool capture_shm(struct recorder *r, struct task *t, struct event *join)
{
	struct ev_syscall *s = &t->ev.sys;
	if (sys_failed(s->ret))
		return false;
	struct map *maps;
	int n = maps_read(t->tid, &maps);
	uint64_t end = 0;
	for (int i = 0; i < n; i++)
		if (maps[i].start == (uint64_t)s->ret)
			end = maps[i].end;
	if (n >= 0)
		free(maps);
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", t->tid,
	         (unsigned long long)s->ret, (unsigned long long)end);
	if (!end)
		path[0] = 0;     /* not mapped: stat fails, the mapping is not stored */
	return store_mapping(r, t, path, true, !(s->args[2] & SHM_RDONLY), join);
}

/* sched_getaffinity: the program sees the CPUs it could use without
 * scribe's pinning, or the mask it set itself (which scribe keeps but does
 * not enforce: its tasks stay on their tracer thread's CPU). */
static void unpin_affinity(struct recorder *r, struct task *t)
{
	struct ev_syscall *s = &t->ev.sys;
	if (s->ret <= 0 || !s->args[2])
		return;
	struct task *who = s->args[0] ? task_find(&self->t, (pid_t)s->args[0]) : t;
	const cpu_set_t *mask = who && who->has_affinity ? &who->affinity : &r->orig_affinity;
	size_t n = MIN((size_t)s->ret, sizeof(*mask));
	task_write(t, s->args[2], mask, n);
}

/* getcpu: a task that pinned itself sees a CPU of its own mask. */
static void getcpu_in_mask(struct task *t)
{
	struct ev_syscall *s = &t->ev.sys;
	unsigned cpu;
	if (s->ret < 0 || !t->has_affinity || !s->args[0] ||
	    task_read(t, s->args[0], &cpu, 4) != 4 || (cpu < CPU_SETSIZE && CPU_ISSET(cpu, &t->affinity)))
		return;
	for (unsigned c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &t->affinity)) {
			task_write(t, s->args[0], &c, 4);
			return;
		}
}

/* sched_setaffinity, answered 0 without running it: remember the mask. */
static void keep_affinity(struct task *t)
{
	struct ev_syscall *s = &t->ev.sys;
	struct task *who = s->args[0] ? task_find(&self->t, (pid_t)s->args[0]) : t;
	if (!who)
		return;
	cpu_set_t mask;
	CPU_ZERO(&mask);
	size_t n = MIN((size_t)s->args[1], sizeof(mask));
	if (task_read(t, s->args[2], &mask, n) == (long)n) {
		who->affinity = mask;
		who->has_affinity = true;
	}
}

/* Keep track of whether the process may have shared writable memory: its
 * forks must read its maps then (record_task.c).  Read-only shared maps
 * (glibc maps gconv-modules.cache so) count once made writable. */
static void note_shared(struct recorder *r, struct process *p, long nr, const uint64_t *args)
{
	bool shared = (nr == SYS_mmap && (args[3] & 0x3) != MAP_PRIVATE) || nr == SYS_shmat;
	if (shared && nr == SYS_mmap && !(args[2] & PROT_WRITE))
		p->has_shared_ro = true;
	else if (shared || ((nr == SYS_mprotect || nr == SYS_pkey_mprotect) &&
	                    (args[2] & PROT_WRITE) && p->has_shared_ro))
		p->has_shared = true;
	if (shared && p->vm_shared)
		__atomic_store_n(&r->shared_in_vm, true, __ATOMIC_RELAXED);
}

/* A program with a userfaultfd of its own: the kernel lets one userfaultfd
 * have a mapping at a time, so scribe's lets go of them all before the
 * program can register one (core/dirty.h). */
static bool uses_userfaultfd(const struct ev_syscall *s)
{
	return s->nr == SYS_userfaultfd ||
	       (s->nr == SYS_openat && s->nstrings && s->strings[0].len == 16 &&
	        !memcmp(s->strings[0].p, "/dev/userfaultfd", 16));
}

static void drop_dirty(struct process *p)
{
	dirty_stop(p->dirty);
	p->dirty = NULL;
	p->dirty_off = true;
}

/* The call in t->ev returned with t->regs: capture what it wrote and emit
 * its events.  Returns true if the task must wait: it joined a group of
 * domains another task holds. */
static bool finish_call(struct recorder *r, struct task *t, bool late)
{
	struct ev_syscall *s = &t->ev.sys;
	s->ret = (int64_t)t->regs.rax;
	s->flags |= SYSF_RESULT;
	t->in_syscall = false;
	t->released = false;
	const struct sysdesc *d = sys_desc(s->nr);
	uint64_t *args = s->args;
	if (s->nr == SYS_restart_syscall && t->restart_nr >= 0) {
		/* The kernel resumed an interrupted call: its memory effects are
		 * those of the original call and arguments. */
		d = sys_desc(t->restart_nr);
		args = t->restart_args;
	}
	bool wait = false;
	struct event join = {0};
	if (d && !(s->flags & SYSF_UNSUPPORTED)) {
		if (s->nr == SYS_sched_getaffinity)
			unpin_affinity(r, t);
		if (s->nr == SYS_getcpu)
			getcpu_in_mask(t);
		struct capture cap = { t, read_cb, region_cb };
		sys_capture_out(d, &cap, args, s->ret);
		bool failed = sys_failed(s->ret);
		if (!failed)
			note_shared(r, t->proc, s->nr, args);
		if (s->nr == SYS_mmap && !late)
			wait = capture_mapped_file(r, t, &join);
		else if (s->nr == SYS_mmap && failed)
			s->flags &= ~SYSF_FILE;     /* kept at entry, not mapped */
		else if (s->nr == SYS_shmat)
			wait = capture_shm(r, t, &join);
		else if (s->flags & SYSF_SHARED)
			wait = rec_shared_fd_exit(r, t, &join);
	}
	if (is_restart_code(s->ret) && s->nr != SYS_restart_syscall) {
		t->restart_nr = s->nr;
		memcpy(t->restart_args, s->args, sizeof(t->restart_args));
	}
	if ((s->flags & (SYSF_EMIT_OUT | SYSF_EMIT_ERR)) && !t->out_numbered) {
		pthread_mutex_lock(&r->out_mu);
		s->outseq = r->outseq++;
		pthread_mutex_unlock(&r->out_mu);
	}
	t->out_numbered = false;
	bool made_thread = t->new_child && (t->new_child_flags & CLONE_THREAD);
	fix_pointers(t);
	if (!sys_failed(s->ret) && uses_userfaultfd(s))
		drop_dirty(t->proc);
	rec_sockname(t, s);
	rec_emit(r, t, &t->ev);
	rec_emit_new_task(r, t);
	if (join.type)
		rec_emit(r, t, &join);
	t->made_thread = made_thread && !late;
	t->after_syscall = true;
	t->exit_regs = t->regs;
	return wait;
}

void rec_syscall_exit(struct recorder *r, struct task *t)
{
	if (!pt_getregs(t->tid, &t->regs))
		return;                   /* dies in the call: see rec_task_exited */
	if (finish_call(r, t, false)) {
		/* Its domain just joined a group another task holds. */
		rec_park_release(r, t, SYNTH_RESUME);
		return;
	}
	int stop;
	if (t->made_thread && !rec_dirty_baseline(r, t, &stop)) {
		t->made_thread = false;
		rec_handle_stop(r, t, stop);
		return;
	}
	t->made_thread = false;
	rec_cont(t, 0);
}

/* A call rec_late_start let run without an exit stop, at the task's next
 * stop: regs are those the exit stop would have shown. */
void rec_syscall_exit_late(struct recorder *r, struct task *t,
                           const struct user_regs_struct *regs)
{
	t->regs = *regs;
	if (finish_call(r, t, true))
		fatal("internal error: a call collected late joined a group of domains");
}

/* A successful execve reports PTRACE_EVENT_EXEC before its exit stop: the
 * call's event (result 0) must precede the exec event. */
void rec_syscall_finish_exec(struct recorder *r, struct task *t)
{
	if (!t->in_syscall)
		return;
	t->in_syscall = false;
	t->ev.sys.ret = 0;
	t->ev.sys.flags |= SYSF_RESULT;
	fix_pointers(t);
	rec_emit(r, t, &t->ev);
}
