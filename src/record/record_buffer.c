/* record_buffer.c -- the recorder's side of the syscall buffer.
 *
 * The preload library logs the calls it makes itself in the task's slot
 * (preload/sbuf.h).  Those records become one EV_BUF event, written just
 * before the next event of that task: replay puts them back into the slot
 * when the task is resumed after its previous event, so they must sit
 * between the two in the stream.  Stops that write no event for the task
 * (a signal held for later, a preemption probe that gave up) leave the
 * buffer alone.  While the library is inside a call (in_call), signals
 * wait and the task is not preempted: the state there differs between
 * record and replay by design. */
#include "record/record_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/cpu.h"
#include "core/slot.h"
#include "syscalls/table.h"

/* ---- reads kept by reference (sbuf.h, SB_REC_FILE) ---------------------- */

/* Which stored file a read came from is a guess, checked: the bytes must
 * equal the object HASH in the store, not the live file, which
 * may have changed since it was stored.  A wrong guess costs only the
 * reference, never the bytes.  So guesses are cached freely, per tracer
 * thread: what a path, or a process's descriptor, was last found to be,
 * and descriptors open on the objects compared with.  A server
 * that opens and reads the same file for every request then costs a
 * hash of the path and a compare (a full lookup costs some 20 us). */
/* Sized for a build: a compiler run reads some forty headers and maps
 * ten libraries, and every process is new, so the descriptors' guesses
 * (keyed by pid) must not push the paths' out; with 8 files and 64
 * shared, direct-mapped names, a make -j2 of 40 files reopened and
 * stored again 3,000 files (a sixth of the tracer's time). */
#define REF_FILES 64
#define REF_NAMES 1024
#define REF_FDS   256

struct refname { uint64_t key, hash; };
struct refcache {
	struct { uint64_t hash; int fd; } files[REF_FILES];
	struct refname names[REF_NAMES], fds[REF_FDS];
	unsigned next_file;
};
static __thread struct refcache refs;

/* The object HASH, opened once per tracer thread (a few at a time). */
static int ref_file(struct recorder *r, uint64_t hash)
{
	for (int i = 0; i < REF_FILES; i++)
		if (refs.files[i].hash == hash && refs.files[i].fd > 0)
			return refs.files[i].fd;
	char *copy = files_object(r->files, hash);
	int fd = open(copy, O_RDONLY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -1;
	unsigned i = refs.next_file++ % REF_FILES;
	if (refs.files[i].fd > 0)
		close(refs.files[i].fd);
	refs.files[i].hash = hash;
	refs.files[i].fd = fd;
	return fd;
}

/* The guess kept for a path (the hash of its name) or a descriptor, in
 * table `tab` of n, 0 when there is none: a slot another key took is
 * taken over. */
static uint64_t *ref_name(struct refname *tab, size_t n, uint64_t key)
{
	/* Four ways: two paths that fall on one entry would each push the
	 * other's guess out at every read. */
	struct refname *set = &tab[key % (n / 4) * 4], *e = NULL;
	for (int i = 0; i < 4 && !e; i++)
		if (set[i].key == key)
			e = &set[i];
	if (!e) {
		e = &set[(key >> 32) % 4];
		for (int i = 0; i < 4; i++)
			if (!set[i].key)
				e = &set[i];
		e->key = key;
		e->hash = 0;
	}
	return &e->hash;
}

/* Do the n bytes at data equal those of the object HASH at off? */
static bool ref_matches(struct recorder *r, uint64_t hash, const uint8_t *data, uint64_t n,
                        uint64_t off)
{
	static __thread struct buf have;
	int fd = hash ? ref_file(r, hash) : -1;
	if (fd < 0)
		return false;
	buf_reserve(&have, n);
	return pread(fd, have.p, n, (off_t)off) == (ssize_t)n && !memcmp(have.p, data, n);
}

/* Store the regular file at path, if it is one the trace may refer to;
 * its hash, or 0. */
static uint64_t ref_store(struct recorder *r, const char *path)
{
	struct stat st;
	int fd = -1;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||   /* opening a device may act */
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return 0;
	uint64_t hash;
	pthread_mutex_lock(&r->mu);
	/* Storing a system file hashes all of it: not for a few reads of a
	 * big one. */
	int rc = files_store_known(r->files, fd, 16 << 20, &hash);
	pthread_mutex_unlock(&r->mu);
	close(fd);
	return rc < 0 ? 0 : hash;
}

/* The stored file read at off for n bytes, or 0.  The descriptor's file
 * is the one an open earlier in the same batch gave it (its path, as
 * opened), else the one it has now (/proc/TID/fd/N; within a batch a
 * buffered close and open may have given the number to another file),
 * else whatever it was at an earlier flush. */
static uint64_t ref_find(struct recorder *r, struct task *t, long tfd, const char *opened,
                         const uint8_t *data, uint64_t n, uint64_t off)
{
	uint64_t *by_fd = ref_name(refs.fds, REF_FDS, (uint64_t)t->proc->pid << 32 | (uint32_t)tfd);
	uint64_t *memo = opened ? ref_name(refs.names, REF_NAMES, XXH3_64bits(opened, strlen(opened)))
	                        : by_fd;
	if (ref_matches(r, *memo, data, n, off))
		return *by_fd = *memo;
	char path[PATH_MAX + 64];
	if (opened && opened[0] == '/')
		snprintf(path, sizeof(path), "%s", opened);
	else if (opened)
		snprintf(path, sizeof(path), "/proc/%d/cwd/%s", t->tid, opened);
	else
		snprintf(path, sizeof(path), "/proc/%d/fd/%ld", t->tid, tfd);
	uint64_t hash = ref_store(r, path);
	if (hash == *memo || !ref_matches(r, hash, data, n, off))
		return 0;
	return *memo = *by_fd = hash;
}

/* ---- the loader stub's maps of files (sbuf.h, SB_REC_MAP) -------------- */

/* Keep the file the stub mapped through descriptor fd, as a traced mmap's
 * is kept: through /proc/TID/fd/N while the descriptor is still that
 * file (the stub flushes before closing it), else only a copy kept
 * before, found by the identity the stub saw. */
static uint64_t map_keep(struct recorder *r, struct task *t, int fd, const struct sb_mapid *id)
{
	struct stat st = {0}, now;
	st.st_dev = id->dev;
	st.st_ino = id->ino;
	st.st_size = (off_t)id->size;
	st.st_mtim = (struct timespec){ id->mtime_sec, id->mtime_nsec };
	st.st_ctim = (struct timespec){ id->ctime_sec, id->ctime_nsec };
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", t->tid, fd);
	/* The same inode: its ctime may have moved meanwhile (a recording,
	 * this one or another, linked it into a trace). */
	bool same = stat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino;
	uint64_t hash;
	if (rec_store_path(r, same ? path : "", &st, false, &hash) < 0)
		fatal("cannot keep the file that the dynamic loader of process %d mapped "
		      "through descriptor %d: %s (SCRIBE_NO_LDSTUB=1 records without the loader "
		      "stub)", t->tid, fd, same ? err_get() : "it is closed or another file now");
	/* Known from now on, by the identity a stat finds the copy with:
	 * the next processes' stubs map it without a flush (LD_KNOWN). */
	pthread_mutex_lock(&r->mu);
	struct stat kept;
	if (files_cached(r->files, st.st_dev, st.st_ino, hash, &kept)) {
		struct sb_mapid k = sb_mapid_of(&kept);
		bool have = false;
		for (int i = 0; i < LD_NKNOWN && !have; i++)
			have = !memcmp(&r->ld_known[i], &k, sizeof(k));
		if (!have)
			r->ld_known[r->ld_known_next++ % LD_NKNOWN] = k;
	}
	pthread_mutex_unlock(&r->mu);
	return hash;
}

void rec_sb_ld_known(struct recorder *r, struct task *t)
{
	struct sb_mapid known[LD_NKNOWN];
	pthread_mutex_lock(&r->mu);
	memcpy(known, r->ld_known, sizeof(known));
	unsigned n = MIN(r->ld_known_next, (unsigned)LD_NKNOWN);
	pthread_mutex_unlock(&r->mu);
	if (n)
		task_write(t, LD_KNOWN, known, n * sizeof(known[0]));
}

/* Rewrite the batch for the trace: each read that carries its offset
 * becomes a reference when its bytes are the stored file's there, or
 * loses the offset otherwise; each map of a file names the kept copy. */
static void refs_make(struct recorder *r, struct task *t, const uint8_t *recs, uint32_t len,
                      struct buf *out)
{
	static const uint8_t pad[8];
	struct { long fd; const char *path; } opens[32];
	int nopens = 0;
	out->len = 0;
	uint32_t off = 0;
	while (off + sizeof(struct sb_rec) <= len) {
		struct sb_rec rec;
		if (!sb_rec_at(recs, len, off, &rec))
			break;                   /* the rest goes as it is */
		uint32_t stride = (uint32_t)sb_rec_stride(rec.size);
		const uint8_t *data = recs + off + sizeof(rec);
		uint64_t plen = rec.size - sizeof(rec), at;
		struct sb_fileref ref;
		if (rec.nr == SYS_openat && rec.ret >= 0 && (int)rec.arg0 == AT_FDCWD &&
		    strnlen((const char *)data, plen) < MIN(plen, (uint64_t)PATH_MAX)) {
			int i = 0;
			while (i < nopens && opens[i].fd != rec.ret)
				i++;
			if (i < 32) {
				opens[i].fd = rec.ret;
				opens[i].path = (const char *)data;
				nopens += i == nopens;
			}
		}
		if ((rec.nr == SYS_read || rec.nr == SYS_pread64) && rec.ret >= SB_REF_MIN &&
		    plen == (uint64_t)rec.ret + sizeof(at)) {
			memcpy(&at, data + rec.ret, sizeof(at));
			plen = (uint64_t)rec.ret;
			int i = 0;
			while (i < nopens && opens[i].fd != (long)rec.arg0)
				i++;
			uint64_t hash = ref_find(r, t, (long)rec.arg0, i < nopens ? opens[i].path : NULL,
			                         data, plen, at);
			if (hash) {
				ref = (struct sb_fileref){ hash, at };
				rec.nr |= SB_REC_FILE;
				data = (const uint8_t *)&ref;
				plen = sizeof(ref);
			}
			rec.size = (uint32_t)(sizeof(rec) + plen);
		}
		uint64_t map[7];           /* the arguments, then the hash */
		if (rec.nr == SYS_mmap && plen == sizeof(map) - 8 + sizeof(struct sb_mapid)) {
			memcpy(map, data, 6 * 8);
			if (sb_map_of_file(map)) {
				struct sb_mapid id;
				memcpy(&id, data + 6 * 8, sizeof(id));
				map[6] = sys_failed(rec.ret) ? 0 : map_keep(r, t, (int)map[4], &id);
				rec.nr |= SB_REC_MAP;
				data = (const uint8_t *)map;
				plen = sizeof(map);
				rec.size = (uint32_t)(sizeof(rec) + plen);
			}
		}
		buf_put(out, &rec, sizeof(rec));
		buf_put(out, data, plen);
		buf_put(out, pad, sb_rec_stride(rec.size) - rec.size);
		off += stride;
	}
	buf_put(out, recs + off, len - off);
}

void rec_sb_flush(struct recorder *r, struct task *t)
{
	struct sb_hdr h;
	rec_share_tell(r, t);
	if (!t->sb || !slot_header(t, &h) || h.used == 0)
		return;
	if (h.used > SB_RECS_CAP)
		fatal("task %d: its syscall buffer says it holds %u bytes (at most %lu fit)",
		      t->tid, h.used, SB_RECS_CAP);
	static __thread struct buf recs;
	buf_reserve(&recs, h.used);
	if (task_read(t, t->sb + SB_RECS_OFF, recs.p, h.used) != (long)h.used)
		return;                      /* it died meanwhile */
	static __thread struct buf out;
	refs_make(r, t, recs.p, h.used, &out);
	rec_fd_facts(t, recs.p, h.used, &out);
	struct event ev = { .type = EV_BUF, .tid = t->rec_tid };
	ev.buf.nrec = h.nrec;
	ev.buf.recs = (struct ev_bytes){ out.p, out.len };
	rec_emit(r, t, &ev);
	/* Inside a call the library is adding a record right now: it died
	 * or faulted there, so leave its counters as they are. */
	if (!h.in_call || (long)t->regs.orig_rax == SB_SYS_FLUSH)
		slot_empty(t);
}

/* A slot's header as the recorder writes it: buffering in `mode`, and
 * our outputs (whose writes stay traced). */
static struct sb_hdr slot_hdr(const struct recorder *r, uint32_t mode)
{
	return (struct sb_hdr){ .magic = SB_MAGIC, .mode = mode,
	                        .out_dev = { r->out_dev[0], r->out_dev[1] },
	                        .out_ino = { r->out_ino[0], r->out_ino[1] },
	                        .out_pid = (uint32_t)getpid(),
	                        .out_fd = { (uint16_t)r->out_fd[0], (uint16_t)r->out_fd[1] } };
}

/* The task's tid as it sees it (gettid), in the innermost pid namespace
 * it is in: the last field of NSpid in its status (a sandbox's children
 * are in namespaces of their own). */
static pid_t own_tid(pid_t tid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return tid;
	buf[n] = 0;
	const char *p = strstr(buf, "\nNSpid:");
	if (!p)
		return tid;
	pid_t last = tid;
	for (p += 7; *p && *p != '\n';) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		last = (pid_t)v;
		p = end;
	}
	return last;
}

const struct sb_hdr *rec_sb_ld_header(struct recorder *r, struct task *t, struct sb_hdr *h)
{
	if (!r->ldstub)
		return NULL;
	*h = slot_hdr(r, SB_RECORD);
	/* The stub compares it with gettid; replay makes no namespaces
	 * (replay_task.c) and sets the real tid. */
	h->owner = (uint32_t)own_tid(t->tid);
	cpu_tsc_line(&h->tsc_base, &h->tsc_ns, &h->tsc_mult);
	return h;
}

void rec_sb_want_sync(struct task *t, bool on)
{
	slot_set(t, SLOT_FIELD(want_sync), on);
}

/* The device and inode of our stdout and stderr: writes to them stay
 * traced, so replay can show them again. */
void rec_sb_outputs(struct recorder *r)
{
	for (int fd = 1; fd <= 2; fd++) {
		struct stat st;
		if (fstat(r->out_fd[fd - 1], &st) == 0) {
			r->out_dev[fd - 1] = st.st_dev;
			r->out_ino[fd - 1] = st.st_ino;
		}
	}
}

/* One of the library's calls to scribe, at its seccomp stop. */
void rec_sb_call(struct recorder *r, struct task *t, long nr)
{
	long ret = 0;
	switch (nr) {
	case SB_SYS_REGISTER: {
		uint64_t addr = t->ev.sys.args[0];
		if (addr < SB_AREA_BASE || addr >= SB_AREA_END || (addr - SB_AREA_BASE) % SB_SLOT_SIZE) {
			ret = -EINVAL;
			break;
		}
		struct sb_hdr h = slot_hdr(r, r->opts->buffer && !t->proc->own_filter ? SB_RECORD
		                                                                    : SB_OFF);
		slot_register(t, addr);
		if (task_write(t, addr, &h, sizeof(h)) < 0) {
			t->sb = 0;
			ret = -EFAULT;
			break;
		}
		t->sb_shgen = 0;
		rec_share_tell(r, t);
		ret = h.mode;
		break;
	}
	case SB_SYS_SYNC:
		rec_sb_want_sync(t, false);
		break;
	case SB_SYS_FLUSH:
		break;                       /* rec_sb_flush emptied it at this stop */
	default:
		ret = -ENOSYS;               /* only replay reports differences */
	}
	rec_answer(r, t, ret);
}
