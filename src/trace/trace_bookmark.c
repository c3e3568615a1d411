/* trace_bookmark.c -- reading and appending a trace's bookmarks file
 * (trace_bookmark.h has the format). */
#include "trace/trace_bookmark.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

bool trc_bookmark_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > TRC_BOOKMARK_MAX) {
		err_set("a bookmark name has 1 to %d characters", TRC_BOOKMARK_MAX);
		return false;
	}
	if (name[0] == '-' || name[0] == '.') {
		err_set("bad bookmark name '%s': it starts with '%c'", name, name[0]);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-')) {
			err_set("bad bookmark name '%s': use letters, digits, '.', '_' and '-'", name);
			return false;
		}
	}
	return true;
}

int trc_bookmark_append(const char *dir, const struct trc_bookmark *b)
{
	struct buf line = {0};
	char tmp[128];
	int n = snprintf(tmp, sizeof(tmp), " %" PRIu64 " %u %u", b->time_ns, b->tid, b->stream);
	buf_put(&line, b->name, strlen(b->name));
	buf_put(&line, tmp, (size_t)n);
	for (uint32_t i = 0; i < b->npos; i++) {
		n = snprintf(tmp, sizeof(tmp), " %u:%" PRIu64, b->streams[i], b->index[i]);
		buf_put(&line, tmp, (size_t)n);
	}
	buf_put(&line, "\n", 1);
	char *path = xasprintf("%s/%s", dir, TRC_BOOKMARKS);
	/* one write of the whole line with O_APPEND: a reader sees whole
	 * lines, or a last one cut short if we are killed mid-way */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : write_all(fd, line.p, line.len);
	if (rc < 0)
		err_set("cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	buf_free(&line);
	return rc;
}

static void clear(struct trc_bookmark *b);

static bool parse_u64(const char *s, uint64_t *v)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

/* One line (NUL-terminated, no newline) into *b; false if malformed. */
static bool parse_line(char *line, struct trc_bookmark *b)
{
	memset(b, 0, sizeof(*b));
	char *save = NULL, *f[4];
	for (int i = 0; i < 4; i++)
		if (!(f[i] = strtok_r(i ? NULL : line, " ", &save)))
			return false;
	uint64_t t, tid, st;
	if (!trc_bookmark_name_ok(f[0]) || !parse_u64(f[1], &t) || !parse_u64(f[2], &tid) ||
	    !parse_u64(f[3], &st) || tid > UINT32_MAX || st > UINT32_MAX)
		return false;
	b->name = xstrdup(f[0]);
	b->time_ns = t;
	b->tid = (uint32_t)tid;
	b->stream = (uint32_t)st;
	for (char *p; (p = strtok_r(NULL, " ", &save));) {
		char *colon = strchr(p, ':');
		uint64_t s, idx;
		if (!colon)
			return false;
		*colon = 0;
		if (!parse_u64(p, &s) || !parse_u64(colon + 1, &idx) || s > UINT32_MAX ||
		    (b->npos && s <= b->streams[b->npos - 1]))
			return false;
		b->streams = xrealloc(b->streams, (b->npos + 1) * sizeof(*b->streams));
		b->index = xrealloc(b->index, (b->npos + 1) * sizeof(*b->index));
		b->streams[b->npos] = (uint32_t)s;
		b->index[b->npos++] = idx;
	}
	return true;
}

int trc_bookmarks_parse(const char *text, size_t len, struct trc_bookmark **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t lineno = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		if (!nl)
			break;                  /* cut short: the recorder was killed */
		lineno++;
		size_t ll = (size_t)(nl - (text + at));
		char *line = xmalloc(ll + 1);
		memcpy(line, text + at, ll);
		line[ll] = 0;
		at = (size_t)(nl - text) + 1;
		struct trc_bookmark b;
		bool ok = parse_line(line, &b);
		free(line);
		if (!ok) {
			clear(&b);
			trc_bookmarks_free(*out, *n);
			*out = NULL;
			*n = 0;
			err_set("the trace's bookmarks file is damaged (line %zu)", lineno);
			return -1;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = b;
	}
	return 0;
}

int trc_bookmarks_read(const char *dir, struct trc_bookmark **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char *path = xasprintf("%s/%s", dir, TRC_BOOKMARKS);
	size_t len;
	char *text = read_file(path, &len);
	int e = errno;
	free(path);
	if (!text) {
		if (e == ENOENT)
			return 0;
		err_set("cannot read the trace's bookmarks: %s", strerror(e));
		return -1;
	}
	if (memchr(text, 0, len)) {
		free(text);
		err_set("the trace's bookmarks file is damaged (a NUL byte)");
		return -1;
	}
	int rc = trc_bookmarks_parse(text, len, out, n);
	free(text);
	return rc;
}

static void clear(struct trc_bookmark *b)
{
	free(b->name);
	free(b->streams);
	free(b->index);
	memset(b, 0, sizeof(*b));
}

void trc_bookmarks_free(struct trc_bookmark *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		clear(&v[i]);
	free(v);
}

uint64_t trc_bookmark_pos(const struct trc_bookmark *b, uint32_t stream)
{
	for (uint32_t i = 0; i < b->npos; i++)
		if (b->streams[i] == stream)
			return b->index[i];
	return 0;
}
