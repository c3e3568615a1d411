/* decode.c -- print recorded events the way strace prints live calls:
 * decoded flags, paths, the first bytes of data buffers, errno names. */
#include "syscalls/decode.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "core/ptrace.h"
#include "core/sig.h"
#include "core/util.h"
#include "syscalls/table.h"

#define DATA_SHOWN 32

struct flagname {
	unsigned long long v;
	const char *name;
};

/* Print `v` as NAME|NAME|0x..., from a table of single bits. */
static void print_flags(FILE *f, unsigned long long v, const struct flagname *t, size_t n,
                        const char *zero)
{
	if (!v) {
		fputs(zero, f);
		return;
	}
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (t[i].v && (v & t[i].v) == t[i].v) {
			fprintf(f, "%s%s", first ? "" : "|", t[i].name);
			v &= ~t[i].v;
			first = false;
		}
	}
	if (v)
		fprintf(f, "%s%#llx", first ? "" : "|", v);
}

static const char *lookup(unsigned long long v, const struct flagname *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

#define F(x) { x, #x }

static const struct flagname open_flags[] = {
	F(O_WRONLY), F(O_RDWR), F(O_CREAT), F(O_EXCL), F(O_NOCTTY), F(O_TRUNC), F(O_APPEND),
	F(O_NONBLOCK), F(O_DSYNC), F(O_DIRECT), F(O_LARGEFILE), F(O_DIRECTORY), F(O_NOFOLLOW),
	F(O_NOATIME), F(O_CLOEXEC), F(O_PATH), { 04000000, "__O_SYNC" }, { 020000000, "__O_TMPFILE" },
};
static const struct flagname prot_flags[] = { F(PROT_READ), F(PROT_WRITE), F(PROT_EXEC) };
static const struct flagname map_flags[] = {
	F(MAP_SHARED), F(MAP_PRIVATE), F(MAP_FIXED), F(MAP_ANONYMOUS), F(MAP_GROWSDOWN),
	F(MAP_DENYWRITE), F(MAP_EXECUTABLE), F(MAP_LOCKED), F(MAP_NORESERVE), F(MAP_POPULATE),
	F(MAP_NONBLOCK), F(MAP_STACK), F(MAP_HUGETLB), F(MAP_FIXED_NOREPLACE),
};
static const struct flagname at_flags[] = {
	F(AT_SYMLINK_NOFOLLOW), F(AT_REMOVEDIR), F(AT_SYMLINK_FOLLOW), F(AT_NO_AUTOMOUNT),
	F(AT_EMPTY_PATH), { 0x800, "AT_STATX_FORCE_SYNC" }, { 0x2000, "AT_STATX_DONT_SYNC" },
};
static const struct flagname whence[] = { F(SEEK_SET), F(SEEK_CUR), F(SEEK_END), F(SEEK_DATA), F(SEEK_HOLE) };
static const struct flagname clocks[] = {
	F(CLOCK_REALTIME), F(CLOCK_MONOTONIC), F(CLOCK_PROCESS_CPUTIME_ID),
	F(CLOCK_THREAD_CPUTIME_ID), F(CLOCK_MONOTONIC_RAW), F(CLOCK_REALTIME_COARSE),
	F(CLOCK_MONOTONIC_COARSE), F(CLOCK_BOOTTIME), F(CLOCK_REALTIME_ALARM),
	F(CLOCK_BOOTTIME_ALARM), F(CLOCK_TAI),
};
static const struct flagname fcntl_cmds[] = {
	F(F_DUPFD), F(F_GETFD), F(F_SETFD), F(F_GETFL), F(F_SETFL), F(F_GETLK), F(F_SETLK),
	F(F_SETLKW), F(F_SETOWN), F(F_GETOWN), F(F_SETSIG), F(F_GETSIG), F(F_SETOWN_EX),
	F(F_GETOWN_EX), F(F_OFD_GETLK), F(F_OFD_SETLK), F(F_OFD_SETLKW), F(F_SETLEASE),
	F(F_GETLEASE), F(F_NOTIFY), F(F_DUPFD_CLOEXEC), F(F_SETPIPE_SZ), F(F_GETPIPE_SZ),
	F(F_ADD_SEALS), F(F_GET_SEALS),
};
static const struct flagname ioctls[] = {
	{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
	{ 0x540B, "TCFLSH" }, { 0x540E, "TIOCSCTTY" }, { 0x540F, "TIOCGPGRP" },
	{ 0x5410, "TIOCSPGRP" }, { 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" },
	{ 0x541B, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" },
};
static const struct flagname sighow[] = { F(SIG_BLOCK), F(SIG_UNBLOCK), F(SIG_SETMASK) };
static const struct flagname families[] = {
	F(AF_UNIX), F(AF_INET), F(AF_INET6), F(AF_NETLINK), F(AF_PACKET),
};

static void print_errno(FILE *f, long e)
{
	static const struct flagname restart[] = {
		{ ERESTARTSYS, "ERESTARTSYS (To be restarted if SA_RESTART is set)" },
		{ ERESTARTNOINTR, "ERESTARTNOINTR (To be restarted)" },
		{ ERESTARTNOHAND, "ERESTARTNOHAND (To be restarted if no handler)" },
		{ ERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK (Interrupted by signal)" },
	};
	const char *r = lookup(e, restart, ARRAY_SIZE(restart));
	if (r) {
		fprintf(f, "? %s", r);
		return;
	}
	const char *name = strerrorname_np(e);
	fprintf(f, "-1 %s (%s)", name ? name : "E?", strerror(e));
}

static const struct ev_region *region_at(const struct ev_syscall *s, uint64_t addr)
{
	for (uint32_t i = 0; i < s->nregions; i++)
		if (s->regions[i].addr == addr)
			return &s->regions[i];
	return NULL;
}

static void print_arg(FILE *f, const struct ev_syscall *s, const struct sysdesc *d, int i,
                      char kind, int *str)
{
	uint64_t v = s->args[i];
	int iv = (int)v;
	const char *name;
	switch (kind) {
	case A_INT: fprintf(f, "%lld", (long long)v); break;
	case A_INT32: fprintf(f, "%d", iv); break;
	case A_UINT: fprintf(f, "%llu", (unsigned long long)v); break;
	case A_FD: fprintf(f, "%d", iv); break;
	case A_DIRFD:
		if (iv == AT_FDCWD)
			fputs("AT_FDCWD", f);
		else
			fprintf(f, "%d", iv);
		break;
	case A_PATH:
		if (*str < (int)s->nstrings && v) {
			const struct ev_bytes *b = &s->strings[(*str)++];
			fput_escaped(f, b->p, b->len, 4096);
		} else {
			fputs(v ? "?" : "NULL", f);
		}
		break;
	case A_IN:
		if ((s->flags & SYSF_INDATA) && d && i == d->in_arg) {
			fput_escaped(f, s->inprefix.p, s->inprefix.len, DATA_SHOWN);
			if (s->inlen > s->inprefix.len)
				fputs("...", f);
			break;
		}
		fprintf(f, v ? "%#llx" : "NULL", (unsigned long long)v);
		break;
	case A_OUT: {
		const struct ev_region *r = v ? region_at(s, v) : NULL;
		if (r && d && (d->out[0].kind == O_RET || d->out[0].kind == O_RETMAX) &&
		    d->out[0].arg == i)
			fput_escaped(f, r->data.p, r->data.len, DATA_SHOWN);
		else if (r && r->data.len == 16 && (s->nr == 228 || s->nr == 96)) {
			long long tv[2];      /* timespec/timeval; data is unaligned */
			memcpy(tv, r->data.p, sizeof(tv));
			fprintf(f, "{%lld, %lld}", tv[0], tv[1]);
		}
		else
			fprintf(f, v ? "%#llx" : "NULL", (unsigned long long)v);
		break;
	}
	case A_OFLAGS:
		fputs((v & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "", f);
		if ((v & O_ACCMODE) == O_RDONLY && (v & ~(unsigned long long)O_ACCMODE))
			fputc('|', f);
		if ((v & O_ACCMODE) != O_RDONLY || (v & ~(unsigned long long)O_ACCMODE))
			print_flags(f, v & ((v & O_ACCMODE) == O_RDONLY ? ~(unsigned long long)O_ACCMODE : ~0ull),
			            open_flags, ARRAY_SIZE(open_flags), "");
		break;
	case A_MODE: fprintf(f, "0%llo", (unsigned long long)v); break;
	case A_PROT: print_flags(f, v, prot_flags, ARRAY_SIZE(prot_flags), "PROT_NONE"); break;
	case A_MFLAGS: print_flags(f, v, map_flags, ARRAY_SIZE(map_flags), "0"); break;
	case A_AT: print_flags(f, v, at_flags, ARRAY_SIZE(at_flags), "0"); break;
	case A_SIG: fputs(iv > 0 && iv < 65 ? sig_name(iv) : "0", f); break;
	case A_WHENCE:
	case A_CLOCK:
	case A_FCNTL:
	case A_IOCTL:
	case A_SIGHOW:
	case A_AF: {
		const struct flagname *t = kind == A_WHENCE ? whence : kind == A_CLOCK ? clocks :
		        kind == A_FCNTL ? fcntl_cmds : kind == A_IOCTL ? ioctls :
		        kind == A_SIGHOW ? sighow : families;
		size_t n = kind == A_WHENCE ? ARRAY_SIZE(whence) : kind == A_CLOCK ? ARRAY_SIZE(clocks) :
		        kind == A_FCNTL ? ARRAY_SIZE(fcntl_cmds) : kind == A_IOCTL ? ARRAY_SIZE(ioctls) :
		        kind == A_SIGHOW ? ARRAY_SIZE(sighow) : ARRAY_SIZE(families);
		name = lookup(kind == A_IOCTL ? (v & 0xffffffff) : v, t, n);
		if (name)
			fputs(name, f);
		else
			fprintf(f, "%#llx", (unsigned long long)v);
		break;
	}
	default: fprintf(f, "%#llx", (unsigned long long)v); break;
	}
}

void sys_print_call(FILE *f, const struct ev_syscall *s)
{
	const struct sysdesc *d = sys_desc(s->nr);
	fprintf(f, "%s(", sys_name(s->nr));
	int str = 0;
	for (int i = 0; i < s->nargs; i++) {
		if (i)
			fputs(", ", f);
		print_arg(f, s, d, i, d ? d->args[i] : A_HEX, &str);
	}
	fputs(")", f);
	if (!(s->flags & SYSF_RESULT)) {
		fputs(" = ?", f);
	} else {
		fputs(" = ", f);
		if (sys_failed(s->ret))
			print_errno(f, -s->ret);
		else if (d && (d->flags & SC_MMAP || s->nr == 12))
			fprintf(f, "%#llx", (unsigned long long)s->ret);
		else
			fprintf(f, "%lld", (long long)s->ret);
	}
	if (s->flags & SYSF_ANSWERED)
		fputs(" (answered by scribe)", f);
	if (s->flags & SYSF_EMIT_OUT)
		fputs(" [stdout]", f);
	if (s->flags & SYSF_EMIT_ERR)
		fputs(" [stderr]", f);
	if (s->flags & SYSF_FILE)
		fprintf(f, " [file %016llx]", (unsigned long long)s->filehash);
	if (s->flags & SYSF_SHARED)
		fprintf(f, " [shared object %u]", s->shobj);
	if (s->flags & SYSF_OBJWRITE)
		fprintf(f, " [its file at %llu]", (unsigned long long)s->objoff);
	if (s->flags & SYSF_UNSUPPORTED)
		fputs(" [unsupported: memory effects not recorded]", f);
}

static const char *sigst_desc(const struct ev_sigstate *st)
{
	static __thread char buf[48];
	if (st->kind == SIGST_FIXED)
		return "spin fixed point";
	snprintf(buf, sizeof(buf), st->kind == SIGST_DELTA ? "snapshot of %u written pages" :
	         "snapshot of %u pages", st->npages);
	return buf;
}

static const char *sig_kind_name(int kind)
{
	switch (kind) {
	case SIGK_FAULT: return "fault";
	case SIGK_AFTER_SYSCALL: return "after syscall";
	case SIGK_AT_SYSCALL: return "async, at next syscall";
	case SIGK_FATAL: return "async, fatal";
	case SIGK_AT_SIGNATURE: return "async, at signature";
	case SIGK_NESTED: return "nested in the previous one";
	}
	return "?";
}

static void print_ret(FILE *f, int64_t ret)
{
	if (sys_failed(ret))
		print_errno(f, -ret);
	else
		fprintf(f, "%lld", (long long)ret);
}

/* A buffered call's record starts with the path it was given when its
 * row in the table has one (preload.c path_call). */
static bool rec_has_path(uint32_t nr)
{
	const struct sysdesc *d = sys_desc(nr);
	return d && memchr(d->args, A_PATH, d->nargs);
}

/* ... and those whose out bytes are data read, shown like a traced call's. */
static bool rec_has_data(uint32_t nr)
{
	return nr == SYS_read || nr == SYS_pread64 || nr == SYS_readv || nr == SYS_recvfrom ||
	       nr == SYS_readlinkat;
}

/* A buffered call's arguments as its record keeps them, 8 bytes each. */
static void print_args(FILE *f, const uint8_t *payload, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t v;
		memcpy(&v, payload + 8 * i, 8);
		fprintf(f, i ? ", %s%llx" : "%s%llx", v ? "0x" : "", (unsigned long long)v);
	}
}

void sys_rec_layout(const struct sb_rec *rec, const uint8_t *payload, size_t plen,
                    struct sb_layout *l)
{
	*l = (struct sb_layout){ 0 };
	const struct sysdesc *d = sys_desc(rec->nr);
	if (sb_rec_reexec(rec->nr) && d && (size_t)d->nargs * 8 <= plen) {
		/* re-executed calls keep their arguments (sbuf.h) */
		l->nargs = d->nargs;
		l->data_off = (size_t)d->nargs * 8;
	} else if (rec_has_path(rec->nr)) {
		l->has_path = true;
		l->path_len = strnlen((const char *)payload, plen);
		l->data_off = l->path_len + (l->path_len < plen);
	}
	l->read_data = rec_has_data(rec->nr) && rec->ret > 0;
}

void sys_print_record(FILE *f, const struct sb_rec *rec, const uint8_t *payload, size_t plen)
{
	static const char *const kinds[] = { "bad fd", "cannot block", "may block", "traced" };
	switch (rec->nr) {
	case SB_REC_SYNC:
		fputs("(stop for a waiting signal)", f);
		return;
	case SB_REC_OPENKIND:
		fprintf(f, "open: %s", rec->ret ? "may wait, traced" : "cannot wait");
		return;
	case SB_REC_MAPKIND:
		fprintf(f, "map of fd %lld: not a regular file, traced", (long long)rec->arg0);
		return;
	case SB_REC_RDTSC:
		fprintf(f, "rdtsc = %#llx (loader)", (unsigned long long)rec->ret);
		return;
	case SB_REC_FDSTATE: {
		struct sb_fdstate st = { 0, 0, -1 };
		memcpy(&st, payload, MIN(plen, sizeof(st)));
		if (rec->ret < 0)
			fprintf(f, "(fd %lld: closed by the flush)", (long long)rec->arg0);
		else
			fprintf(f, "(fd %lld: flags %#llo, fd flags %d, pos %lld%s)",
			        (long long)rec->arg0, (unsigned long long)rec->ret, st.fdflags,
			        (long long)st.pos, st.dup_of >= 0 ? ", a dup" : "");
		return;
	}
	case SB_REC_FDKIND:
		fprintf(f, "fd %lld: %s", (long long)rec->arg0,
		        rec->ret >= 0 && rec->ret < 4 ? kinds[rec->ret] : "?");
		return;
	}
	if (rec->nr & SB_REC_MAP) {
		uint64_t map[7] = {0};
		memcpy(map, payload, MIN(plen, sizeof(map)));
		fputs("mmap(", f);
		print_args(f, (const uint8_t *)map, 6);
		fputs(") = ", f);
		print_ret(f, rec->ret);
		fprintf(f, " [file %016llx]", (unsigned long long)map[6]);
		return;
	}
	if (rec->nr & SB_REC_FILE) {
		struct sb_fileref ref = {0};
		memcpy(&ref, payload, MIN(plen, sizeof(ref)));
		fprintf(f, "%s(%lld) = ", sys_name(rec->nr & ~SB_REC_FILE), (long long)rec->arg0);
		print_ret(f, rec->ret);
		fprintf(f, " [the bytes of object %016llx at %llu]", (unsigned long long)ref.hash,
		        (unsigned long long)ref.offset);
		return;
	}
	if (rec->ret == SB_RET_TRACED) {
		fprintf(f, "%s(%lld): a file mapped shared, traced", sys_name(rec->nr),
		        (long long)rec->arg0);
		return;
	}
	struct sb_layout l;
	sys_rec_layout(rec, payload, plen, &l);
	fprintf(f, "%s(", sys_name(rec->nr));
	if (l.nargs) {
		print_args(f, payload, l.nargs);
	} else if (l.has_path) {
		if ((int)rec->arg0 != AT_FDCWD)
			fprintf(f, "%lld, ", (long long)rec->arg0);
		fput_escaped(f, payload, l.path_len, 4096);
	} else {
		fprintf(f, "%lld", (long long)rec->arg0);
	}
	fputs(") = ", f);
	print_ret(f, rec->ret);
	size_t skip = l.data_off;
	if (l.read_data) {
		fputc(' ', f);
		fput_escaped(f, payload + skip, MIN(plen - skip, (size_t)rec->ret), DATA_SHOWN);
	} else if (plen > skip) {
		fprintf(f, " [%zu bytes out]", plen - skip);
	}
}

/* EV_BUF: one line per buffered call, under a heading line. */
static void print_buffered(FILE *f, const struct ev_buf *b)
{
	fprintf(f, "--- %u buffered calls ---", b->nrec);
	for (size_t off = 0; off + sizeof(struct sb_rec) <= b->recs.len;) {
		struct sb_rec rec;
		if (!sb_rec_at(b->recs.p, b->recs.len, off, &rec))
			break;
		fputs("\n      ", f);
		sys_print_record(f, &rec, b->recs.p + off + sizeof(rec), rec.size - sizeof(rec));
		off += sb_rec_stride(rec.size);
	}
}

void ev_print(FILE *f, const struct event *ev)
{
	switch (ev->type) {
	case EV_SYSCALL:
		sys_print_call(f, &ev->sys);
		break;
	case EV_SIGNAL: {
		siginfo_t si;
		memcpy(&si, ev->sig.info.p, MIN(sizeof(si), ev->sig.info.len));
		fprintf(f, "--- %s {si_code=%d, si_pid=%d, si_addr=%p} (%s, ip %#llx) ---",
		        sig_name(ev->sig.signo), si.si_code, si.si_pid, si.si_addr,
		        sig_kind_name(ev->sig.kind), (unsigned long long)ev->sig.ip);
		break;
	}
	case EV_RDTSC:
		fprintf(f, "%s = %#llx", ev->tsc.rdtscp ? "rdtscp" : "rdtsc",
		        (unsigned long long)ev->tsc.tsc);
		if (ev->tsc.rdtscp)
			fprintf(f, " aux=%u", ev->tsc.aux);
		fprintf(f, " (ip %#llx)", (unsigned long long)ev->tsc.ip);
		break;
	case EV_EXEC:
		fputs("exec ", f);
		fput_escaped(f, ev->exec.path.p, ev->exec.path.len, 4096);
		fputs(" [", f);
		for (uint32_t i = 0; i < ev->exec.argc; i++) {
			if (i)
				fputs(", ", f);
			fput_escaped(f, ev->exec.argv[i].p, ev->exec.argv[i].len, 256);
		}
		fprintf(f, "] (%u env vars, %u mappings, image %.*s)", ev->exec.envc, ev->exec.nmaps,
		        (int)ev->exec.image.len, (const char *)ev->exec.image.p);
		break;
	case EV_EXIT:
		if (WIFSIGNALED(ev->exit.status))
			fprintf(f, "+++ killed by %s%s +++", sig_name(WTERMSIG(ev->exit.status)),
			        WCOREDUMP(ev->exit.status) ? " (core dumped)" : "");
		else
			fprintf(f, "+++ exited with %d +++", WEXITSTATUS(ev->exit.status));
		break;
	case EV_TASK:
		fprintf(f, "+++ new task, parent %u, flags %#llx, domain %u +++", ev->task.parent,
		        (unsigned long long)ev->task.flags, ev->task.domain);
		break;
	case EV_SWITCH:
		if (ev->sched.seq)
			fprintf(f, "--- switch to %u (group turn %llu) ---", ev->tid,
			        (unsigned long long)ev->sched.seq);
		else
			fprintf(f, "--- switch to %u ---", ev->tid);
		break;
	case EV_RELEASE:
		fprintf(f, "--- %u releases the group (turn %llu) ---", ev->tid,
		        (unsigned long long)ev->sched.seq);
		break;
	case EV_JOIN:
		fprintf(f, "--- domain joins group %u (memory shared with other domains; "
		        "holder's turn %llu) ---", ev->sched.group, (unsigned long long)ev->sched.seq);
		break;
	case EV_PREEMPT:
		fprintf(f, "--- preempted at ip %#llx (%s, memory %016llx, %.1f ms of CPU) ---",
		        (unsigned long long)ev->pre.st.regs.rip, sigst_desc(&ev->pre.st),
		        (unsigned long long)ev->pre.st.memhash, ev->pre.st.cpu_ns / 1e6);
		break;
	case EV_BUF:
		print_buffered(f, &ev->buf);
		break;
	default:
		fprintf(f, "%s", ev_type_name(ev->type));
	}
}
