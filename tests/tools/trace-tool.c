/* trace-tool.c -- small maintenance tool for trace directories, for tests.
 *
 *   trace-tool set-cpu DIR STRING     replace the recorded CPU signature
 *   trace-tool set-buffer DIR LDSTUB REV  say whether the loader stub was
 *                                     used (0/1) and the buffer's revision
 *   trace-tool set-version DIR N      rewrite the header's format version
 *   trace-tool chunks DIR DOM         list the chunks of events.DOM
 *   trace-tool unpack DIR DOM         store every chunk of events.DOM raw
 *
 * set-cpu and set-buffer go through trc_header_read/trc_header_write, so the header
 * stays valid.  set-version cannot (trc_header_write always writes
 * TRC_VERSION): it patches the version field of the raw header file and
 * recomputes the trailing XXH64, keeping the file otherwise byte for byte.
 * chunks walks the stream's chunk headers without decompressing; each line
 * is "OFFSET RAW STORED FIRST COUNT" (OFFSET of the chunk header in the
 * file, RAW and STORED payload lengths, index of the first event, number of
 * events), so tests can damage one chosen chunk.  unpack rewrites a stream
 * with uncompressed chunks (flags 0, checksums recomputed): the same events,
 * but their bytes sit in the file as encoded, for tests and fuzz seeds that
 * want to change one event.
 *
 * Exit status: 0 on success, 125 with a "trace-tool: ..." message on error. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include "core/util.h"
#include "trace/trace.h"

static const char usage[] =
"Usage: trace-tool COMMAND DIR [ARGS]\n"
"\n"
"Maintenance of scribe trace directories (for tests).\n"
"\n"
"Commands:\n"
"  set-cpu DIR STRING   replace the recorded CPU signature with STRING\n"
"  set-buffer DIR LDSTUB REV\n"
"                       make the header say the loader stub was (1) or was\n"
"                       not (0) used, and the syscall buffer's revision REV\n"
"  set-version DIR N    make the header claim trace format version N\n"
"                       (the header checksum is recomputed)\n"
"  chunks DIR DOM       list the chunks of DIR/events.DOM, one per line:\n"
"                       OFFSET RAW STORED FIRST COUNT (file offset of the\n"
"                       chunk, raw and stored payload length, index of its\n"
"                       first event, number of events)\n"
"  unpack DIR DOM       rewrite DIR/events.DOM with every chunk stored\n"
"                       uncompressed (same events, valid checksums)\n"
"\n"
"Exit status: 0 on success, 125 on error.\n";

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
	va_list ap;
	fputs("trace-tool: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_SCRIBE;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int cmd_set_cpu(const char *dir, const char *cpu)
{
	struct trc_header h;
	if (trc_header_read(dir, &h) < 0)
		return die("%s", err_get());
	free(h.cpu);
	h.cpu = xstrdup(cpu);
	int rc = trc_header_write(dir, &h);
	trc_header_free(&h);
	if (rc < 0)
		return die("%s", err_get());
	return 0;
}

static int cmd_set_buffer(const char *dir, const char *ldstub, const char *rev)
{
	uint32_t stub, r;
	if (!parse_u32(ldstub, &stub) || stub > 1 || !parse_u32(rev, &r) || !r)
		return die("set-buffer: LDSTUB is 0 or 1, REV a revision from 1");
	struct trc_header h;
	if (trc_header_read(dir, &h) < 0)
		return die("%s", err_get());
	h.ldstub = stub;
	h.sbuf_rev = r;
	int rc = trc_header_write(dir, &h);
	trc_header_free(&h);
	if (rc < 0)
		return die("%s", err_get());
	return 0;
}

/* Write `len` bytes to DIR/NAME atomically (temporary file + rename). */
static int replace_file(const char *dir, const char *name, const void *p, size_t len)
{
	char *tmp = xasprintf("%s/.%s.trace-tool", dir, name);
	char *path = xasprintf("%s/%s", dir, name);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, p, len) < 0 || fsync(fd) < 0)
		err_set("cannot write %s: %s", tmp, strerror(errno));
	else if (rename(tmp, path) < 0)
		err_set("cannot rename %s to %s: %s", tmp, path, strerror(errno));
	else
		rc = 0;
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

static int cmd_set_version(const char *dir, const char *arg)
{
	uint32_t ver;
	if (!parse_u32(arg, &ver))
		return die("set-version: '%s' is not a version number (0 to %u)", arg, UINT32_MAX);
	char *path = xasprintf("%s/header", dir);
	size_t len;
	uint8_t *data = (uint8_t *)read_file(path, &len);
	if (!data) {
		int rc = die("cannot read %s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	int rc = 0;
	uint32_t flen = 0;
	if (len >= 16)
		memcpy(&flen, data + 12, 4);
	if (len < 16 + 8 || memcmp(data, TRC_MAGIC_HDR, 8) != 0)
		rc = die("%s is not a scribe trace header", path);
	else if ((uint64_t)flen + 16 + 8 != len)
		rc = die("%s: field length %u does not match the file size %zu (corrupt header)",
		         path, flen, len);
	if (rc == 0) {
		memcpy(data + 8, &ver, 4);
		uint64_t sum = XXH64(data, len - 8, 0);
		memcpy(data + len - 8, &sum, 8);
		if (replace_file(dir, "header", data, len) < 0)
			rc = die("%s", err_get());
	}
	free(data);
	free(path);
	return rc;
}

static int cmd_chunks(const char *dir, const char *arg)
{
	uint32_t dom;
	if (!parse_u32(arg, &dom))
		return die("chunks: '%s' is not a domain number", arg);
	char *path = xasprintf("%s/events.%u", dir, dom);
	size_t len;
	uint8_t *data = (uint8_t *)read_file(path, &len);
	if (!data) {
		int rc = die("cannot read %s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	int rc = 0;
	if (len < 16 || memcmp(data, TRC_MAGIC_EVS, 8) != 0) {
		rc = die("%s is not a scribe event stream", path);
		goto out;
	}
	size_t off = 16;
	while (off < len) {
		if (len - off < TRC_CHUNK_HDR) {
			fflush(stdout);
			rc = die("%s: chunk header at offset %zu cut short by end of file", path, off);
			break;
		}
		uint32_t magic, flags, raw, stored, nev;
		uint64_t first;
		memcpy(&magic, data + off, 4);
		memcpy(&flags, data + off + 4, 4);
		memcpy(&raw, data + off + 8, 4);
		memcpy(&stored, data + off + 12, 4);
		memcpy(&first, data + off + 16, 8);
		memcpy(&nev, data + off + 24, 4);
		if (magic != TRC_CHUNK_MAGIC) {
			fflush(stdout);
			rc = die("%s: bad chunk magic at offset %zu", path, off);
			break;
		}
		printf("%zu %" PRIu32 " %" PRIu32 " %" PRIu64 " %" PRIu32 "\n", off, raw, stored,
		       first, nev);
		if (stored > len - off - TRC_CHUNK_HDR) {
			fflush(stdout);
			rc = die("%s: chunk at offset %zu cut short by end of file", path, off);
			break;
		}
		off += TRC_CHUNK_HDR + (size_t)stored;
	}
out:
	free(data);
	free(path);
	return rc;
}

static int cmd_unpack(const char *dir, const char *arg)
{
	uint32_t dom;
	if (!parse_u32(arg, &dom))
		return die("unpack: '%s' is not a domain number", arg);
	char *path = xasprintf("%s/events.%u", dir, dom);
	char *name = xasprintf("events.%u", dom);
	size_t len;
	uint8_t *data = (uint8_t *)read_file(path, &len);
	if (!data) {
		int rc = die("cannot read %s: %s", path, strerror(errno));
		free(path);
		free(name);
		return rc;
	}
	int rc = 0;
	struct buf out = {0};
	if (len < 16 || memcmp(data, TRC_MAGIC_EVS, 8) != 0) {
		rc = die("%s is not a scribe event stream", path);
		goto out;
	}
	buf_put(&out, data, 16);
	size_t off = 16;
	while (off < len && rc == 0) {
		if (len - off < TRC_CHUNK_HDR) {
			rc = die("%s: chunk header at offset %zu cut short by end of file", path, off);
			break;
		}
		uint8_t hdr[TRC_CHUNK_HDR];
		memcpy(hdr, data + off, TRC_CHUNK_HDR);
		uint32_t magic, flags, raw, stored;
		memcpy(&magic, hdr, 4);
		memcpy(&flags, hdr + 4, 4);
		memcpy(&raw, hdr + 8, 4);
		memcpy(&stored, hdr + 12, 4);
		if (magic != TRC_CHUNK_MAGIC || flags > 1 || raw > TRC_MAX_CHUNK) {
			rc = die("%s: bad chunk header at offset %zu", path, off);
			break;
		}
		if (stored > len - off - TRC_CHUNK_HDR) {
			rc = die("%s: chunk at offset %zu cut short by end of file", path, off);
			break;
		}
		const uint8_t *payload = data + off + TRC_CHUNK_HDR;
		uint8_t *plain = NULL;
		if (flags & 1) {
			plain = xmalloc(raw);
			size_t d = ZSTD_decompress(plain, raw, payload, stored);
			if (ZSTD_isError(d) || d != raw) {
				free(plain);
				rc = die("%s: chunk at offset %zu: bad compressed data", path, off);
				break;
			}
			payload = plain;
		} else if (raw != stored) {
			rc = die("%s: chunk at offset %zu: impossible sizes", path, off);
			break;
		}
		off += TRC_CHUNK_HDR + (size_t)stored;
		flags = 0;
		memcpy(hdr + 4, &flags, 4);
		memcpy(hdr + 12, &raw, 4);
		uint64_t sum = trc_chunk_sum(hdr, payload, raw);
		memcpy(hdr + 32, &sum, 8);
		buf_put(&out, hdr, TRC_CHUNK_HDR);
		buf_put(&out, payload, raw);
		free(plain);
	}
	if (rc == 0 && replace_file(dir, name, out.p, out.len) < 0)
		rc = die("%s", err_get());
out:
	buf_free(&out);
	free(data);
	free(path);
	free(name);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	                  !strcmp(argv[1], "help"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_SCRIBE;
	}
	const char *cmd = argv[1];
	int rc;
	if (!strcmp(cmd, "set-cpu") && argc == 4)
		rc = cmd_set_cpu(argv[2], argv[3]);
	else if (!strcmp(cmd, "set-buffer") && argc == 5)
		rc = cmd_set_buffer(argv[2], argv[3], argv[4]);
	else if (!strcmp(cmd, "set-version") && argc == 4)
		rc = cmd_set_version(argv[2], argv[3]);
	else if (!strcmp(cmd, "chunks") && argc == 4)
		rc = cmd_chunks(argv[2], argv[3]);
	else if (!strcmp(cmd, "unpack") && argc == 4)
		rc = cmd_unpack(argv[2], argv[3]);
	else if (!strcmp(cmd, "set-cpu") || !strcmp(cmd, "set-version") ||
	         !strcmp(cmd, "set-buffer") || !strcmp(cmd, "chunks") || !strcmp(cmd, "unpack"))
		return die("%s: wrong number of arguments (try 'trace-tool --help')", cmd);
	else
		return die("unknown command '%s' (try 'trace-tool --help')", cmd);
	if (fflush(stdout) != 0 && rc == 0)
		rc = die("write error on standard output: %s", strerror(errno));
	return rc;
}
