/* trace_header.c -- read and write the trace header file (format in trace.h). */
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define PREAMBLE 16

static void put_field(struct buf *b, uint16_t tag, const void *data, size_t len)
{
	buf_put(b, &tag, 2);
	uint32_t l = len;
	buf_put(b, &l, 4);
	buf_put(b, data, len);
}

static void put_str(struct buf *b, uint16_t tag, const char *s)
{
	if (s)
		put_field(b, tag, s, strlen(s));
}

static void put_u64(struct buf *b, uint16_t tag, uint64_t v) { put_field(b, tag, &v, 8); }
static void put_u32(struct buf *b, uint16_t tag, uint32_t v) { put_field(b, tag, &v, 4); }

/* Join a string vector with NUL separators (each string NUL-terminated). */
static void put_strv(struct buf *b, uint16_t tag, char **v, int n)
{
	struct buf t = {0};
	for (int i = 0; i < n; i++)
		buf_put(&t, v[i], strlen(v[i]) + 1);
	put_field(b, tag, t.p, t.len);
	buf_free(&t);
}

int trc_header_write(const char *dir, const struct trc_header *h)
{
	struct buf b = {0};
	buf_put(&b, TRC_MAGIC_HDR, 8);
	buf_u32(&b, TRC_VERSION);
	buf_u32(&b, 0);                 /* field length, patched below */

	put_strv(&b, HDR_ARGV, h->argv, h->argc);
	put_strv(&b, HDR_ENV, h->env, h->envc);
	put_str(&b, HDR_CWD, h->cwd);
	put_str(&b, HDR_EXE, h->exe);
	put_str(&b, HDR_CPU, h->cpu);
	put_str(&b, HDR_KERNEL, h->kernel);
	put_str(&b, HDR_HOST, h->host);
	put_str(&b, HDR_SCRIBE, h->scribe_version);
	put_u64(&b, HDR_START, h->start_ns);
	put_field(&b, HDR_RLIMIT_STACK, h->rlimit_stack, 16);
	uint64_t sigs[2] = { h->sig_ignored, h->sig_blocked };
	put_field(&b, HDR_SIGNALS, sigs, 16);
	if (h->ldstub)
		put_u32(&b, HDR_LDSTUB, 1);
	if (h->sbuf_rev > 1)
		put_u32(&b, HDR_SBUF, h->sbuf_rev);
	put_str(&b, HDR_STORE, h->store);
	if (h->packed)
		put_u32(&b, HDR_PACKED, 1);
	if (h->warnings_len)
		put_field(&b, HDR_WARNINGS, h->warnings, h->warnings_len);
	if (h->tree_len)
		put_field(&b, HDR_TREE, h->tree, h->tree_len);
	if (h->fds)
		put_field(&b, HDR_FDS, h->fds, h->fds_len);
	if (h->chaos)
		put_u64(&b, HDR_CHAOS, h->chaos_seed);
	if (h->complete) {
		int32_t st = h->status;
		put_field(&b, HDR_STATUS, &st, 4);
		put_u64(&b, HDR_END, h->end_ns);
		put_u64(&b, HDR_EVENTS, h->events);
		put_u64(&b, HDR_BYTES, h->bytes);
		put_u32(&b, HDR_NSTREAMS, h->nstreams);
		put_u32(&b, HDR_NTASKS, h->ntasks);
		put_u32(&b, HDR_NDOMAINS, h->ndomains);
		if (h->n_stream_events)
			put_field(&b, HDR_STREAM_EVENTS, h->stream_events,
			          h->n_stream_events * sizeof(uint64_t));
	}
	uint32_t flen = b.len - PREAMBLE;
	memcpy(b.p + 12, &flen, 4);
	buf_u64(&b, XXH64(b.p, b.len, 0));

	char *tmp = xasprintf("%s/.header.tmp", dir);
	char *path = xasprintf("%s/header", dir);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, b.p, b.len) < 0 || fsync(fd) < 0) {
		err_set("cannot write %s: %s", tmp, strerror(errno));
	} else if (rename(tmp, path) < 0) {
		err_set("cannot rename %s: %s", tmp, strerror(errno));
	} else {
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	free(path);
	buf_free(&b);
	return rc;
}

/* Split a NUL-separated block into a NULL-terminated vector. */
static char **split_strv(const uint8_t *p, size_t len, int *count)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		if (!p[i])
			n++;
	char **v = xcalloc(n + 1, sizeof(char *));
	size_t start = 0;
	int k = 0;
	for (size_t i = 0; i < len && k < n; i++) {
		if (!p[i]) {
			v[k++] = xstrdup((const char *)p + start);
			start = i + 1;
		}
	}
	*count = n;
	return v;
}

static char *dup_field(const uint8_t *p, size_t len)
{
	char *s = xmalloc(len + 1);
	memcpy(s, p, len);
	s[len] = 0;
	return s;
}

static void free_strv(char **v);

/* A field seen twice (a damaged header) keeps the last value, leak-free. */
static void set_str(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

static void set_strv(char ***dst, char **v)
{
	free_strv(*dst);
	*dst = v;
}

static uint64_t get_u64(const uint8_t *p, size_t len)
{
	uint64_t v = 0;
	memcpy(&v, p, MIN(len, 8));
	return v;
}

bool trc_version_ok(uint32_t version)
{
	if (version == TRC_VERSION)
		return true;
	if (version == 1)
		err_set("this trace has format version 1 (scribe 0.4.0 and older, which kept "
		        "its files in the trace's files/); this scribe reads version %d, with "
		        "files in an object store: replay it with the scribe that recorded it",
		        TRC_VERSION);
	else
		err_set("trace format version %u is not supported (this scribe reads version %d)",
		        version, TRC_VERSION);
	return false;
}

int trc_header_parse(const uint8_t *data, size_t len, struct trc_header *h)
{
	memset(h, 0, sizeof(*h));
	if (len < PREAMBLE + 8 || memcmp(data, TRC_MAGIC_HDR, 8) != 0) {
		err_set("not a scribe trace header (bad magic; corrupt trace)");
		return -1;
	}
	memcpy(&h->version, data + 8, 4);
	if (!trc_version_ok(h->version))
		return -1;
	uint32_t flen;
	memcpy(&flen, data + 12, 4);
	if ((uint64_t)flen + PREAMBLE + 8 != len) {
		err_set("trace header is truncated or has trailing bytes (corrupt trace)");
		return -1;
	}
	uint64_t sum;
	memcpy(&sum, data + PREAMBLE + flen, 8);
	if (XXH64(data, PREAMBLE + flen, 0) != sum) {
		err_set("trace header checksum mismatch (corrupt trace)");
		return -1;
	}
	struct cur c = { data + PREAMBLE, data + PREAMBLE + flen, false };
	while (c.p < c.end && !c.bad) {
		const uint8_t *t = cur_take(&c, 2);
		uint32_t l = cur_u32(&c);
		const uint8_t *v = cur_take(&c, l);
		if (!t || !v)
			break;
		uint16_t tag;
		memcpy(&tag, t, 2);
		switch (tag) {
		case HDR_ARGV: set_strv(&h->argv, split_strv(v, l, &h->argc)); break;
		case HDR_ENV: set_strv(&h->env, split_strv(v, l, &h->envc)); break;
		case HDR_CWD: set_str(&h->cwd, dup_field(v, l)); break;
		case HDR_EXE: set_str(&h->exe, dup_field(v, l)); break;
		case HDR_CPU: set_str(&h->cpu, dup_field(v, l)); break;
		case HDR_KERNEL: set_str(&h->kernel, dup_field(v, l)); break;
		case HDR_HOST: set_str(&h->host, dup_field(v, l)); break;
		case HDR_SCRIBE: set_str(&h->scribe_version, dup_field(v, l)); break;
		case HDR_WARNINGS:
			set_str(&h->warnings, dup_field(v, l));
			h->warnings_len = l;
			break;
		case HDR_TREE:
			set_str(&h->tree, dup_field(v, l));
			h->tree_len = l;
			break;
		case HDR_FDS:
			set_str(&h->fds, dup_field(v, l));
			h->fds_len = l;
			break;
		case HDR_START: h->start_ns = get_u64(v, l); break;
		case HDR_END: h->end_ns = get_u64(v, l); break;
		case HDR_STATUS:
			h->complete = true;
			h->status = (int32_t)get_u64(v, MIN(l, 4));
			break;
		case HDR_EVENTS: h->events = get_u64(v, l); break;
		case HDR_BYTES: h->bytes = get_u64(v, l); break;
		case HDR_NSTREAMS: h->nstreams = (uint32_t)get_u64(v, MIN(l, 4)); break;
		case HDR_NTASKS: h->ntasks = (uint32_t)get_u64(v, MIN(l, 4)); break;
		case HDR_NDOMAINS: h->ndomains = (uint32_t)get_u64(v, MIN(l, 4)); break;
		case HDR_RLIMIT_STACK:
			if (l == 16)
				memcpy(h->rlimit_stack, v, 16);
			break;
		case HDR_SIGNALS:
			if (l == 16) {
				memcpy(&h->sig_ignored, v, 8);
				memcpy(&h->sig_blocked, v + 8, 8);
				h->has_signals = true;
			}
			break;
		case HDR_LDSTUB: h->ldstub = get_u64(v, MIN(l, 4)) == 1; break;
		case HDR_SBUF: h->sbuf_rev = (uint32_t)get_u64(v, MIN(l, 4)); break;
		case HDR_STORE: set_str(&h->store, dup_field(v, l)); break;
		case HDR_PACKED: h->packed = get_u64(v, MIN(l, 4)) == 1; break;
		case HDR_CHAOS: h->chaos = true; h->chaos_seed = get_u64(v, l); break;
		case HDR_STREAM_EVENTS:
			free(h->stream_events);
			h->n_stream_events = l / 8;
			h->stream_events = xcalloc(h->n_stream_events + 1, 8);
			memcpy(h->stream_events, v, h->n_stream_events * 8);
			break;
		default:
			break;      /* newer field: skip */
		}
	}
	if (c.bad || !h->argv || h->argc == 0) {
		trc_header_free(h);
		err_set("trace header is malformed (corrupt trace)");
		return -1;
	}
	if (!h->env)
		h->env = xcalloc(1, sizeof(char *));
	if (!h->sbuf_rev)
		h->sbuf_rev = 1;
	return 0;
}

int trc_header_read(const char *dir, struct trc_header *h)
{
	char *path = xasprintf("%s/header", dir);
	size_t len;
	char *data = read_file(path, &len);
	if (!data) {
		if (errno == ENOENT)
			err_set("%s is not a scribe trace (no header file)", dir);
		else
			err_set("cannot read %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	int rc = trc_header_parse((const uint8_t *)data, len, h);
	free(data);
	return rc;
}

static void free_strv(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

void trc_header_free(struct trc_header *h)
{
	free_strv(h->argv);
	free_strv(h->env);
	free(h->cwd);
	free(h->exe);
	free(h->cpu);
	free(h->kernel);
	free(h->host);
	free(h->scribe_version);
	free(h->store);
	free(h->warnings);
	free(h->tree);
	free(h->fds);
	free(h->stream_events);
	memset(h, 0, sizeof(*h));
}

bool trc_is_trace(const char *dir)
{
	char *path = xasprintf("%s/header", dir);
	struct stat st;
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

const char *trc_end_reason(const struct trc_header *h)
{
	return h->complete ? "the stream is cut short (corrupt trace)"
	                   : "the recording was interrupted";
}
