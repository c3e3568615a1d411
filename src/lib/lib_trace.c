/* lib_trace.c -- libscribe: open a trace, its header as scribe_info, and
 * the per-handle error convention. */
#include "lib/lib_int.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

int scribe_api_version(void) { return SCRIBE_API_VERSION; }
const char *scribe_version(void) { return SCRIBE_VERSION; }

int lib_fail(char *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, LIB_ERRLEN, fmt, ap);
	va_end(ap);
	return code;
}

int lib_fail_last(char *err, int code)
{
	return lib_fail(err, code, "%s", err_get());
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int lib_streams(const char *dir, uint32_t **out)
{
	DIR *d = opendir(dir);
	size_t n = 0, cap = 0;
	uint32_t *v = NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		char *end;
		if (strncmp(e->d_name, "events.", 7))
			continue;
		unsigned long k = strtoul(e->d_name + 7, &end, 10);
		if (*end || end == e->d_name + 7)
			continue;
		v = xgrow(v, n, &cap, sizeof(*v), 8);
		v[n++] = k;
	}
	if (d)
		closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_u32);
	*out = v;
	return (int)n;
}

/* Header errors name the kind of damage in their text only: map the
 * ones a caller may want to tell apart. */
static int header_code(const char *msg)
{
	if (strstr(msg, "version"))
		return SCRIBE_E_VERSION;
	if (strstr(msg, "cannot open") || strstr(msg, "cannot read") ||
	    strstr(msg, "(no header file)"))
		return SCRIBE_E_IO;
	return SCRIBE_E_CORRUPT;
}

int scribe_trace_open(const char *path, const struct scribe_open_opts *opts,
                      scribe_trace **out)
{
	err_private_thread();
	scribe_trace *tr = calloc(1, sizeof(*tr));
	*out = tr;
	if (!tr)
		return SCRIBE_E_NOMEM;
	tr->opts = (struct scribe_open_opts){ sizeof(tr->opts), 0, 0, 0, -1 };
	if (opts)    /* an older caller's smaller struct: the rest stays default */
		memcpy(&tr->opts, opts, MIN(opts->size, sizeof(tr->opts)));
	tr->opts.size = sizeof(tr->opts);
	tr->global_known = tr->opts.stream < 0;
	if (!path)
		return tr->sticky = lib_fail(tr->err, SCRIBE_E_ARG, "no trace given");
	tr->dir = strdup(path);
	if (!tr->dir)
		return tr->sticky = lib_fail(tr->err, SCRIBE_E_NOMEM, "out of memory");
	if (trc_header_read(path, &tr->hdr) < 0)
		return tr->sticky = lib_fail_last(tr->err, header_code(err_get()));
	tr->have_hdr = true;
	tr->nstreams = lib_streams(path, &tr->streams);
	if (tr->nstreams == 0)
		return tr->sticky = lib_fail(tr->err, SCRIBE_E_CORRUPT,
		                             "%s has no event stream (corrupt trace)", path);
	tr->visited = xcalloc(tr->nstreams, sizeof(*tr->visited));
	tr->have = xcalloc(tr->nstreams, sizeof(*tr->have));
	if (tr->opts.flags & SCRIBE_OPEN_TEXT) {
		tr->text = open_memstream(&tr->textbuf, &tr->textlen);
		if (!tr->text)
			return tr->sticky = lib_fail(tr->err, SCRIBE_E_NOMEM, "out of memory");
	}
	return SCRIBE_OK;
}

const char *scribe_trace_error(const scribe_trace *tr)
{
	return tr ? tr->err : "out of memory";
}

void scribe_trace_close(scribe_trace *tr)
{
	if (!tr)
		return;
	lib_pool_clear(&tr->pool);
	free(tr->pool.v);
	if (tr->batch.live) {
		ev_clear(&tr->batch.ev);
		free(tr->batch.raw);
	}
	trc_reader_close(tr->rd);
	if (tr->text)
		fclose(tr->text);
	free(tr->textbuf);
	free(tr->pids.tid);
	free(tr->pids.pid);
	free(tr->streams);
	free(tr->visited);
	free(tr->have);
	free(tr->argv);
	free(tr->env);
	free(tr->warnings);
	lib_bookmarks_free(tr);
	if (tr->have_hdr)
		trc_header_free(&tr->hdr);
	free(tr->dir);
	free(tr);
}

/* A NULL-terminated array of pointers to n strings. */
static const char **vec_of(char **v, int n)
{
	const char **out = xcalloc((size_t)n + 1, sizeof(*out));
	for (int i = 0; i < n; i++)
		out[i] = v[i];
	return out;
}

/* The header's NUL-separated warning list, as an array. */
static void split_warnings(scribe_trace *tr)
{
	const struct trc_header *h = &tr->hdr;
	size_t n = 0;
	for (size_t i = 0; i < h->warnings_len; i++)
		n += h->warnings[i] == 0;
	tr->warnings = xcalloc(n + 2, sizeof(*tr->warnings));
	n = 0;
	for (size_t i = 0; i < h->warnings_len; i += strlen(h->warnings + i) + 1)
		if (h->warnings[i])
			tr->warnings[n++] = h->warnings + i;
	tr->nwarnings = (uint32_t)n;
}

int scribe_trace_info(scribe_trace *tr, struct scribe_info *info)
{
	if (!tr || !info)
		return SCRIBE_E_ARG;
	err_private_thread();
	if (!tr->have_hdr)
		return lib_fail(tr->err, SCRIBE_E_ARG, "the trace could not be opened");
	const struct trc_header *h = &tr->hdr;
	if (!tr->argv) {
		tr->argv = vec_of(h->argv, h->argc);
		tr->env = vec_of(h->env, h->envc);
		split_warnings(tr);
	}
	struct scribe_info i = {
		.size = sizeof(i), .format_version = h->version,
		.argc = h->argc, .argv = tr->argv, .envc = h->envc, .env = tr->env,
		.cwd = h->cwd, .exe = h->exe, .cpu = h->cpu, .kernel = h->kernel, .host = h->host,
		.scribe_version = h->scribe_version, .start_ns = h->start_ns, .end_ns = h->end_ns,
		.complete = h->complete, .status = h->status, .events = h->events,
		.bytes = h->bytes, .nstreams = (uint32_t)tr->nstreams,
		.ntasks = h->ntasks, .ndomains = h->ndomains, .nwarnings = tr->nwarnings,
		.warnings = tr->warnings,
	};
	size_t n = info->size ? MIN(info->size, sizeof(i)) : sizeof(i);
	memcpy(info, &i, n);
	info->size = (uint32_t)n;
	return SCRIBE_OK;
}
