/* trace_reader.c -- read an event stream chunk by chunk, validating every
 * size and checksum; a bad trace is an error message, never a crash. */
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

struct trc_reader {
	int fd;                    /* -1 when reading from memory */
	const uint8_t *mem;
	size_t memlen;
	char *name;                /* for messages */
	bool verify;
	uint64_t off;              /* offset of the next chunk */
	uint8_t *chunk, *prev;     /* current and previous raw payloads */
	struct cur c;              /* events left in the current chunk */
	uint32_t left;
	uint64_t next_index;
	enum trc_read_status sticky;
	ZSTD_DCtx *dc;
	uint8_t *stored;
	size_t stored_cap;
};

static ssize_t read_at(struct trc_reader *r, uint64_t off, void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (r->fd < 0) {
		if (off >= r->memlen)
			return 0;
		size_t k = MIN(n, r->memlen - off);
		memcpy(p, r->mem + off, k);
		return k;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(r->fd, (char *)p + got, n - got, off + got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += k;
	}
	return got;
}

static uint64_t file_size(struct trc_reader *r)
{
	if (r->fd < 0)
		return r->memlen;
	struct stat st;
	return fstat(r->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static struct trc_reader *reader_new(const char *name, bool verify)
{
	struct trc_reader *r = xcalloc(1, sizeof(*r));
	r->fd = -1;
	r->name = xstrdup(name);
	r->verify = verify;
	r->dc = ZSTD_createDCtx();
	if (!r->dc)
		fatal("cannot create zstd context");
	return r;
}

static int check_preamble(struct trc_reader *r)
{
	uint8_t pre[TRC_PRELUDE];
	if (read_at(r, 0, pre, TRC_PRELUDE) != TRC_PRELUDE || memcmp(pre, TRC_MAGIC_EVS, 8) != 0) {
		err_set("%s is not a scribe event stream (corrupt trace)", r->name);
		return -1;
	}
	uint32_t ver;
	memcpy(&ver, pre + 8, 4);
	if (!trc_version_ok(ver))
		return -1;
	r->off = TRC_PRELUDE;
	return 0;
}

/* A stream file renamed or copied over another says so in its preamble. */
static int check_stream(struct trc_reader *r, uint32_t dom)
{
	uint8_t pre[TRC_PRELUDE];
	uint32_t said;
	if (read_at(r, 0, pre, TRC_PRELUDE) != TRC_PRELUDE)
		return -1;
	memcpy(&said, pre + 12, 4);
	if (said != dom) {
		err_set("%s holds the event stream of memory domain %u, not %u (a stream file "
		        "renamed or copied over another; corrupt trace)", r->name, said, dom);
		return -1;
	}
	return 0;
}

struct trc_reader *trc_reader_open(const char *dir, uint32_t dom, bool verify)
{
	char *path = xasprintf("%s/events.%u", dir, dom);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set("cannot open %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	struct trc_reader *r = reader_new(path, verify);
	free(path);
	r->fd = fd;
	if (check_preamble(r) < 0 || check_stream(r, dom) < 0) {
		trc_reader_close(r);
		return NULL;
	}
	return r;
}

struct trc_reader *trc_reader_open_mem(const uint8_t *data, size_t len, bool verify)
{
	struct trc_reader *r = reader_new("<memory>", verify);
	r->mem = data;
	r->memlen = len;
	if (check_preamble(r) < 0) {
		trc_reader_close(r);
		return NULL;
	}
	return r;
}

static enum trc_read_status corrupt(struct trc_reader *r, const char *what)
{
	err_set("%s: chunk at offset %llu: %s (corrupt trace)", r->name,
	        (unsigned long long)r->off, what);
	return r->sticky = TRC_CORRUPT;
}

static enum trc_read_status load_chunk(struct trc_reader *r)
{
	uint8_t hdr[TRC_CHUNK_HDR];
	ssize_t n = read_at(r, r->off, hdr, sizeof(hdr));
	if (n < 0) {
		err_set("%s: read error: %s", r->name, strerror(errno));
		return r->sticky = TRC_CORRUPT;
	}
	if (n == 0)
		return r->sticky = TRC_END;
	if (n < (ssize_t)sizeof(hdr))
		return r->sticky = TRC_TRUNCATED;
	uint32_t magic, flags, raw, stored, nev;
	uint64_t first, sum;
	memcpy(&magic, hdr, 4);
	memcpy(&flags, hdr + 4, 4);
	memcpy(&raw, hdr + 8, 4);
	memcpy(&stored, hdr + 12, 4);
	memcpy(&first, hdr + 16, 8);
	memcpy(&nev, hdr + 24, 4);
	memcpy(&sum, hdr + 32, 8);
	if (magic != TRC_CHUNK_MAGIC)
		return corrupt(r, "bad chunk magic");
	if (flags > 1 || raw > TRC_MAX_CHUNK || stored > TRC_MAX_CHUNK ||
	    nev == 0 || (flags == 0 && raw != stored))
		return corrupt(r, "impossible chunk sizes");
	/* Sizes come from the file: check them against what it holds before
	 * allocating anything. */
	uint64_t left = file_size(r) > r->off + sizeof(hdr) ? file_size(r) - r->off - sizeof(hdr) : 0;
	if (stored > left)
		return r->sticky = TRC_TRUNCATED;
	if (stored > r->stored_cap || !r->stored) {
		free(r->stored);
		r->stored = malloc(stored ? stored : 1);
		r->stored_cap = r->stored ? stored : 0;
		if (!r->stored)
			return corrupt(r, "chunk too large to load");
	}
	n = read_at(r, r->off + sizeof(hdr), r->stored, stored);
	if (n < 0) {
		err_set("%s: read error: %s", r->name, strerror(errno));
		return r->sticky = TRC_CORRUPT;
	}
	if ((size_t)n < stored)
		return r->sticky = TRC_TRUNCATED;
	if (r->verify) {
		if (trc_chunk_sum(hdr, r->stored, stored) != sum)
			return corrupt(r, "checksum mismatch");
	}
	if (first != r->next_index)
		return corrupt(r, "events out of sequence");
	if (flags & 1) {
		unsigned long long fs = ZSTD_getFrameContentSize(r->stored, stored);
		if (fs != raw)
			return corrupt(r, "compressed size does not match the chunk header");
	}
	uint8_t *payload = malloc(raw ? raw : 1);
	if (!payload)
		return corrupt(r, "chunk too large to load");
	if (flags & 1) {
		size_t d = ZSTD_decompressDCtx(r->dc, payload, raw, r->stored, stored);
		if (ZSTD_isError(d) || d != raw) {
			free(payload);
			return corrupt(r, "bad compressed data");
		}
	} else if (raw) {
		memcpy(payload, r->stored, raw);
	}
	free(r->prev);           /* events from two chunks back are dead now */
	r->prev = r->chunk;
	r->chunk = payload;
	r->c = (struct cur){ payload, payload + raw, false };
	r->left = nev;
	r->off += sizeof(hdr) + stored;
	return TRC_OK;
}

enum trc_read_status trc_reader_next(struct trc_reader *r, const uint8_t **p,
                                     size_t *len, uint64_t *index)
{
	if (r->sticky)
		return r->sticky;
	if (!r->left) {
		if (r->c.p != r->c.end)
			return corrupt(r, "trailing bytes after the last event");
		enum trc_read_status st = load_chunk(r);
		if (st != TRC_OK)
			return st;
	}
	*p = cur_bytes(&r->c, len);
	if (r->c.bad)
		return corrupt(r, "event runs past the end of its chunk");
	r->left--;
	*index = r->next_index++;
	return TRC_OK;
}

uint64_t trc_reader_position(struct trc_reader *r) { return r->next_index; }

void trc_reader_close(struct trc_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->chunk);
	free(r->prev);
	free(r->stored);
	free(r->name);
	ZSTD_freeDCtx(r->dc);
	free(r);
}
