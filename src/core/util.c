/* util.c -- errors, growable buffers, bounded cursors, small I/O helpers. */
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char err_msg[1024];
/* A thread that calls libscribe keeps a message of its own: handles in
 * different threads must not see each other's errors.  The tracer's
 * threads share the one above (a worker sets what the main thread says). */
static _Thread_local char err_own[1024];
static _Thread_local bool err_private;
static void (*fatal_cleanup)(void);
static _Thread_local void (*fatal_hook)(const char *msg);

void err_private_thread(void) { err_private = true; }

static char *err_buf(void) { return err_private ? err_own : err_msg; }

void err_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err_buf(), sizeof(err_msg), fmt, ap);
	va_end(ap);
}

const char *err_get(void) { return err_buf()[0] ? err_buf() : "unknown error"; }

void err_print(void) { fprintf(stderr, "scribe: %s\n", err_get()); }

void vwarn(const char *fmt, va_list ap)
{
	fputs("scribe: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void set_fatal_cleanup(void (*fn)(void)) { fatal_cleanup = fn; }

void set_fatal_hook_thread(void (*fn)(const char *msg)) { fatal_hook = fn; }

/* The thread reporting a fatal error, 0 if none. */
static pid_t fatal_tid;

void fatal_wait(void)
{
	pid_t t = __atomic_load_n(&fatal_tid, __ATOMIC_ACQUIRE);
	if (t && t != (pid_t)syscall(SYS_gettid))
		for (;;)
			pause();
}

void fatal(const char *fmt, ...)
{
	/* One line per failure: the cleanup kills every tracee, and another
	 * tracer thread that sees its tasks die must not report that too.
	 * It waits for the first one's exit, which ends every thread. */
	if (fatal_hook) {
		char msg[1024];
		va_list hp;
		va_start(hp, fmt);
		vsnprintf(msg, sizeof(msg), fmt, hp);
		va_end(hp);
		fatal_hook(msg);
		abort();           /* the hook does not return */
	}
	pid_t me = (pid_t)syscall(SYS_gettid), none = 0;
	if (!__atomic_compare_exchange_n(&fatal_tid, &none, me, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE)) {
		if (none == me)
			_exit(EXIT_SCRIBE);   /* failed again in the cleanup */
		for (;;)
			pause();
	}
	va_list ap;
	fputs("scribe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (fatal_cleanup) {
		void (*fn)(void) = fatal_cleanup;
		fatal_cleanup = NULL;
		fn();
	}
	exit(EXIT_SCRIBE);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		fatal("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xgrow(void *p, size_t n, size_t *cap, size_t elem, size_t first)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : first;
	return xrealloc(p, *cap * elem);
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		fatal("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	return s;
}

/* ---- growable buffer -------------------------------------------------- */

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_put(struct buf *b, const void *data, size_t n)
{
	if (!n)
		return;
	buf_reserve(b, n);
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

void buf_u8(struct buf *b, uint8_t v) { buf_put(b, &v, 1); }
void buf_u32(struct buf *b, uint32_t v) { buf_put(b, &v, 4); }
void buf_u64(struct buf *b, uint64_t v) { buf_put(b, &v, 8); }

void buf_varint(struct buf *b, uint64_t v)
{
	uint8_t tmp[10];
	int n = 0;
	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	buf_put(b, tmp, n);
}

void buf_svarint(struct buf *b, int64_t v)
{
	buf_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void buf_bytes(struct buf *b, const void *data, size_t n)
{
	buf_varint(b, n);
	buf_put(b, data, n);
}

void buf_str(struct buf *b, const char *s) { buf_bytes(b, s, s ? strlen(s) : 0); }

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- bounded cursor ---------------------------------------------------- */

const uint8_t *cur_take(struct cur *c, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return NULL;
	}
	const uint8_t *p = c->p;
	c->p += n;
	return p;
}

uint8_t cur_u8(struct cur *c)
{
	const uint8_t *p = cur_take(c, 1);
	return p ? *p : 0;
}

uint32_t cur_u32(struct cur *c)
{
	uint32_t v = 0;
	const uint8_t *p = cur_take(c, 4);
	if (p)
		memcpy(&v, p, 4);
	return v;
}

uint64_t cur_u64(struct cur *c)
{
	uint64_t v = 0;
	const uint8_t *p = cur_take(c, 8);
	if (p)
		memcpy(&v, p, 8);
	return v;
}

uint64_t cur_varint(struct cur *c)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		const uint8_t *p = cur_take(c, 1);
		if (!p)
			return 0;
		v |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

int64_t cur_svarint(struct cur *c)
{
	uint64_t u = cur_varint(c);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

const uint8_t *cur_bytes(struct cur *c, size_t *len)
{
	uint64_t n = cur_varint(c);
	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		*len = 0;
		return NULL;
	}
	*len = n;
	return cur_take(c, n);
}

char *cur_strdup(struct cur *c)
{
	size_t n;
	const uint8_t *p = cur_bytes(c, &n);
	if (!p && c->bad)
		return NULL;
	if (memchr(p ? (const void *)p : "", 0, n)) {
		c->bad = true;
		return NULL;
	}
	char *s = xmalloc(n + 1);
	if (n)
		memcpy(s, p, n);
	s[n] = 0;
	return s;
}

/* ---- I/O --------------------------------------------------------------- */

int write_all(int fd, const void *p, size_t n)
{
	const char *q = p;
	while (n) {
		ssize_t w = write(fd, q, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		q += w;
		n -= w;
	}
	return 0;
}

ssize_t read_full(int fd, void *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

const char *proc_text(char *buf, size_t size, const char *fmt, ...)
{
	char path[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, size - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

char proc_state(const char *stat)
{
	const char *p = strrchr(stat, ')');          /* the name may hold anything */
	return p && p[1] == ' ' ? p[2] : 0;
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0700) < 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return rc;
}

char *read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct buf b = {0};
	for (;;) {
		buf_reserve(&b, 65536);
		ssize_t r = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			buf_free(&b);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		b.len += r;
	}
	close(fd);
	buf_reserve(&b, 1);
	b.p[b.len] = 0;
	if (lenp)
		*lenp = b.len;
	return (char *)b.p;
}

/* Time is read with the syscall, not the vDSO: tracer threads trap rdtsc
 * like their tracees (cpu.h), and the vDSO reads the TSC. */
static void raw_clock(clockid_t clk, struct timespec *ts)
{
	syscall(SYS_clock_gettime, clk, ts);
}

uint64_t now_ns(void)
{
	struct timespec ts;
	raw_clock(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t mono_ns(void)
{
	struct timespec ts;
	raw_clock(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void fput_escaped(void *file, const uint8_t *s, size_t n, size_t max)
{
	FILE *f = file;
	fputc('"', f);
	for (size_t i = 0; i < n && i < max; i++) {
		uint8_t ch = s[i];
		switch (ch) {
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		default:
			if (ch >= 32 && ch < 127)
				fputc(ch, f);
			else
				fprintf(f, "\\%o", ch);
		}
	}
	fputc('"', f);
	if (n > max)
		fputs("...", f);
}
