/* util.h -- errors, growable byte buffers, bounded cursors, small helpers.
 *
 * Error convention (one for the whole program): functions that can fail
 * return 0 / a valid pointer on success and -1 / NULL on failure, after
 * setting a message with err_set(); the command layer prints it once as
 * "scribe: ..." and exits with EXIT_SCRIBE.  fatal() is for the tracer's
 * own event loop, where there is no caller left to report to: it runs the
 * registered cleanup (kill every tracee) and exits 125. */
#ifndef SCRIBE_UTIL_H
#define SCRIBE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit statuses (DESIGN section 1). */
#define EXIT_SCRIBE     125   /* scribe itself failed */
#define EXIT_NOEXEC     126   /* program found but not executable */
#define EXIT_NOTFOUND   127   /* program not found */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Last error message, set by err_set and printed by err_print. */
void err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *err_get(void);
void err_print(void);
/* From now on this thread's messages are its own (libscribe's calls). */
void err_private_thread(void);

void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarn(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Called by fatal() before exiting: kills the traced tree. */
void set_fatal_cleanup(void (*fn)(void));
/* Returns at once unless another thread is in fatal(): then never (its
 * exit with EXIT_SCRIBE ends the process). */
void fatal_wait(void);
/* In this thread, fatal() hands its message to fn instead (which must not
 * return): a replay session of libscribe stops there, it does not exit. */
void set_fatal_hook_thread(void (*fn)(const char *msg));

/* Invariant checks die loudly with file and line (internal bugs only). */
#define ASSERT(c) do { if (!(c)) fatal("internal error: %s:%d: %s", \
                                       __FILE__, __LINE__, #c); } while (0)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
/* Room for element n of array p (capacity *cap, elements of elem bytes):
 * the capacity doubles, from `first`, when the array is full. */
void *xgrow(void *p, size_t n, size_t *cap, size_t elem, size_t first);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable byte buffer used to build events and chunks. */
struct buf {
	uint8_t *p;
	size_t len, cap;
};
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *data, size_t n);
void buf_u8(struct buf *b, uint8_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
void buf_varint(struct buf *b, uint64_t v);
void buf_svarint(struct buf *b, int64_t v);
void buf_bytes(struct buf *b, const void *data, size_t n); /* varint len + data */
void buf_str(struct buf *b, const char *s);                /* same, for strings */
void buf_free(struct buf *b);

/* Bounded reader over untrusted bytes: every read checks the end, and a
 * short read sets `bad` instead of running off the buffer. */
struct cur {
	const uint8_t *p, *end;
	bool bad;
};
uint8_t cur_u8(struct cur *c);
uint32_t cur_u32(struct cur *c);
uint64_t cur_u64(struct cur *c);
uint64_t cur_varint(struct cur *c);
int64_t cur_svarint(struct cur *c);
const uint8_t *cur_bytes(struct cur *c, size_t *len); /* varint len + data */
const uint8_t *cur_take(struct cur *c, size_t n);
/* A NUL-free string copied into a fresh allocation (NULL if bad). */
char *cur_strdup(struct cur *c);

/* I/O helpers that retry on EINTR and short transfers. */
int write_all(int fd, const void *p, size_t n);
ssize_t read_full(int fd, void *p, size_t n);
/* Read a whole (small) file into a NUL-terminated malloc'd buffer. */
char *read_file(const char *path, size_t *len);
/* mkdir -p, each directory it makes mode 0700. */
int mkdir_p(const char *path);
/* The start of the /proc file the format names, NUL-terminated in buf
 * ("" when it cannot be read: the task is gone).  No allocation: the
 * reaper calls it in a child forked from a threaded process. */
const char *proc_text(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The state letter of a /proc .../stat line ('R', 'S', 't', 'Z'...), or
 * 0 for "" (the task is gone). */
char proc_state(const char *stat);

uint64_t now_ns(void);          /* CLOCK_REALTIME */
uint64_t mono_ns(void);         /* CLOCK_MONOTONIC */

/* Print `s` (n bytes) as a C string literal with escapes, at most max bytes. */
void fput_escaped(void *file, const uint8_t *s, size_t n, size_t max);

#endif
