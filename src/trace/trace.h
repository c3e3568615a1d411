/* trace.h -- the on-disk trace format: one writer, one reader.
 *
 * A trace is a directory:
 *
 *   header        the header file (below)
 *   events.N      the ordered event stream of memory domain N
 *   objects.list  the objects the trace refers to: every file the program
 *                 mapped (and the system files its reads refer to), one
 *                 line each, the XXH3-64 of its content in 16 hex digits
 *   objects/HASH  a packed trace's copies of them (scribe pack); other
 *                 traces find them in the object store HDR_STORE names
 *                 (core/store.h), stored raw so replay can map them
 *
 * Every integer is little-endian.  Files begin with a 16-byte preamble:
 *
 *   OFFSET SIZE DESCRIPTION
 *   0      8    magic: "SCRIBE-H" (header) or "SCRIBE-E" (event stream)
 *   8      4    format version (TRC_VERSION); readers refuse others
 *   12     4    header: length L of the field area; stream: domain number,
 *               N of its name events.N (readers refuse another)
 *
 * Header file, after the preamble:
 *
 *   16     L    fields: repeated { u16 tag, u32 len, len bytes } (HDR_*),
 *               unknown tags are skipped so minor additions stay readable
 *   16+L   8    XXH64 (seed 0) of bytes [0, 16+L)
 *
 * The header is written when recording starts and rewritten (write to a
 * temporary name, then rename) when it ends, adding HDR_STATUS and the
 * totals; a header without HDR_STATUS means the recording was interrupted.
 *
 * Event stream file, after the preamble: a sequence of chunks
 *
 *   OFFSET SIZE DESCRIPTION
 *   0      4    magic "CHNK"
 *   4      4    flags: bit 0 = payload is zstd-compressed
 *   8      4    raw (decompressed) payload length, at most TRC_MAX_CHUNK
 *   12     4    stored payload length
 *   16     8    index of the chunk's first event in this stream
 *   24     4    number of events in the chunk
 *   28     4    reserved, zero
 *   32     8    XXH64 of bytes [0, 32) followed by the stored payload
 *   40     n    stored payload
 *
 * The raw payload is a sequence of { varint length, encoded event } (the
 * event encoding lives in event.h/event.c).  Chunks
 * are written whole, at least once a second and at exit, so a recorder that
 * is killed leaves every chunk but possibly the last intact; a reader treats
 * a chunk cut short by end of file as "the recording was interrupted" and a
 * checksum or size mismatch as corruption. */
#ifndef SCRIBE_TRACE_H
#define SCRIBE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/util.h"

#define TRC_VERSION     2               /* 2: objects in a store, not files/ */
#define TRC_MAGIC_HDR   "SCRIBE-H"
#define TRC_MAGIC_EVS   "SCRIBE-E"
#define TRC_CHUNK_MAGIC 0x4b4e4843u      /* "CHNK" */
#define TRC_CHUNK_HDR   40
#define TRC_PRELUDE     16              /* a stream file's: magic, version, domain */
#ifndef TRC_MAX_CHUNK                    /* the fuzzer builds with less */
#define TRC_MAX_CHUNK   (1u << 31)       /* sanity bound on raw payload */
#endif
#define TRC_CHUNK_FLUSH (1u << 20)       /* writer cuts a chunk at 1 MiB */

/* Header field tags. */
enum {
	HDR_ARGV = 1,        /* NUL-separated argv of the recorded command */
	HDR_CWD,             /* working directory at start */
	HDR_ENV,             /* NUL-separated environment at start */
	HDR_EXE,             /* resolved path of the program */
	HDR_CPU,             /* CPU signature string (cpu.h) */
	HDR_KERNEL,          /* uname release of the recording kernel */
	HDR_HOST,            /* uname nodename */
	HDR_START,           /* u64 realtime ns at start */
	HDR_END,             /* u64 realtime ns at end */
	HDR_STATUS,          /* i32 wait status of the initial process */
	HDR_EVENTS,          /* u64 total events, all streams */
	HDR_BYTES,           /* u64 total stream bytes on disk */
	HDR_NSTREAMS,        /* u32 number of event streams */
	HDR_RLIMIT_STACK,    /* 2 x u64: cur, max (fixes mmap_base on replay) */
	HDR_SCRIBE,          /* scribe version string that recorded */
	HDR_WARNINGS,        /* NUL-separated list of unsupported syscalls seen */
	HDR_NTASKS,          /* u32 tasks created over the whole recording */
	HDR_TREE,            /* process tree lines, NUL-separated (info) */
	HDR_NDOMAINS,        /* u32 memory domains created */
	HDR_STREAM_EVENTS,   /* per stream: u32 domain, u64 events (a stream
	                        cut at a chunk boundary is then still caught) */
	HDR_SIGNALS,         /* 2 x u64: signals the program started with
	                        ignored, and blocked (bit N-1: signal N) */
	HDR_LDSTUB,          /* u32 1: the loader stub was set up at each exec
	                        (preload/ldstub.h); absent: it was not */
	HDR_SBUF,            /* u32: the syscall buffer's revision (sbuf.h
	                        SB_REVISION); absent: 1 */
	HDR_STORE,           /* absolute path of the object store that holds
	                        the trace's objects (version 2) */
	HDR_PACKED,          /* u32 1: objects/ holds every object the trace
	                        refers to (scribe pack); absent: it does not */
	HDR_FDS,             /* the fds the first process had at its first
	                        exec, one line each (syscalls/fdtab.h
	                        fdtab_read_proc); absent: not recorded */
	HDR_CHAOS,           /* u64: the seed of a chaos recording (record
	                        --chaos, record_chaos.c); absent: not chaos */
};

/* In-memory header.  Strings are owned. */
struct trc_header {
	uint32_t version;
	char **argv;        int argc;
	char **env;         int envc;
	char *cwd, *exe, *cpu, *kernel, *host, *scribe_version;
	char *warnings;     /* NUL-separated, warnings_len bytes */
	size_t warnings_len;
	char *tree;         /* NUL-separated, tree_len bytes */
	size_t tree_len;
	char *fds;          /* HDR_FDS, fds_len bytes (NULL: absent) */
	size_t fds_len;
	uint64_t start_ns, end_ns;
	bool complete;      /* HDR_STATUS present */
	int32_t status;
	uint64_t events, bytes;
	uint32_t nstreams, ntasks, ndomains;
	uint64_t rlimit_stack[2];
	bool has_signals;   /* HDR_SIGNALS present (traces of 0.3.0 before it: no) */
	uint64_t sig_ignored, sig_blocked;
	bool ldstub;        /* HDR_LDSTUB */
	uint32_t sbuf_rev;  /* HDR_SBUF, 1 when absent */
	char *store;        /* HDR_STORE */
	bool packed;        /* HDR_PACKED */
	bool chaos;         /* HDR_CHAOS present */
	uint64_t chaos_seed;
	uint64_t *stream_events;   /* indexed by domain; n_stream_events long */
	uint32_t n_stream_events;
};

void trc_header_free(struct trc_header *h);
/* Write atomically (tmp + rename) with mode 0600. */
int trc_header_write(const char *dir, const struct trc_header *h);
int trc_header_read(const char *dir, struct trc_header *h);
int trc_header_parse(const uint8_t *data, size_t len, struct trc_header *h);
/* Is this format version readable?  If not, err_set says why. */
bool trc_version_ok(uint32_t version);

/* ---- writer ------------------------------------------------------------ */

struct trc_writer;
struct trc_stream;

/* Create the directory (mode 0700). */
struct trc_writer *trc_writer_create(const char *dir);
const char *trc_writer_dir(struct trc_writer *w);
/* Start the stream for domain `dom`.  The writer thread creates its file,
 * events.DOM, soon after; failing that, it reports as for any write. */
struct trc_stream *trc_stream_create(struct trc_writer *w, uint32_t dom);
/* The stream's events so far are all it will have, most likely (its
 * domain ended): compress and write them now, not at the end. */
void trc_stream_finish(struct trc_stream *s);
/* Append one encoded event.  Never blocks for long: a background thread
 * compresses and writes.  Returns the event's index in the stream. */
uint64_t trc_stream_append(struct trc_stream *s, const void *ev, size_t len);
uint64_t trc_stream_events(struct trc_stream *s);
/* Every stream's event count at one instant (under the writer's lock:
 * a consistent cut), sorted by domain, in two malloc'd arrays: how many
 * streams.  A bookmark is made of it (trace_bookmark.h). */
uint32_t trc_writer_positions(struct trc_writer *w, uint32_t **streams, uint64_t **index);
/* 0 while all writes succeeded; otherwise the errno of the first failure. */
int trc_writer_error(struct trc_writer *w);
/* Called (from the writer thread) when a write fails, e.g. to stop the
 * recording promptly. */
void trc_writer_on_error(struct trc_writer *w, void (*fn)(void *arg, int err), void *arg);
/* Flush and close everything; fills totals and, if per_stream is not NULL,
 * a malloc'd array of event counts indexed by domain (*nstreams long).
 * Returns -1 on write error. */
int trc_writer_close(struct trc_writer *w, uint64_t *events, uint64_t *bytes,
                     uint64_t **per_stream, uint32_t *nstreams);

/* ---- reader ------------------------------------------------------------ */

enum trc_read_status {
	TRC_OK = 0,       /* an event was returned */
	TRC_END,          /* clean end of stream */
	TRC_TRUNCATED,    /* stream ends in the middle of a chunk */
	TRC_CORRUPT,      /* bad magic, size or checksum; err_get() says where */
};

struct trc_reader;
/* Opens DIR/events.DOM.  `verify` = check chunk checksums (the fuzzer
 * turns it off to reach the decoders). */
struct trc_reader *trc_reader_open(const char *dir, uint32_t dom, bool verify);
/* Same, over a memory image of a stream file (for the fuzzer). */
struct trc_reader *trc_reader_open_mem(const uint8_t *data, size_t len, bool verify);
/* Next raw event: *p and *len point into a chunk buffer that stays valid until
 * two further chunks have been loaded. */
enum trc_read_status trc_reader_next(struct trc_reader *r, const uint8_t **p,
                                     size_t *len, uint64_t *index);
uint64_t trc_reader_position(struct trc_reader *r); /* index of next event */
void trc_reader_close(struct trc_reader *r);

/* The XXH64 a chunk carries at offset 32: over its first 32 header bytes,
 * then its stored payload. */
uint64_t trc_chunk_sum(const uint8_t *hdr, const void *payload, size_t len);

/* Why a stream ended before its last event: damage to a complete trace,
 * or a recording that was interrupted (its header never completed). */
const char *trc_end_reason(const struct trc_header *h);

/* Does DIR look like a trace (has a header file)? */
bool trc_is_trace(const char *dir);

#endif
