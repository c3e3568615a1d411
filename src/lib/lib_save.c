/* lib_save.c -- libscribe: scribe_edit_save, the edited trace written out:
 * each stream rewritten event by event with the edits applied, the
 * header's totals recounted, the rest of the directory shared. */
#include "lib/lib_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "preload/sbuf.h"
#include "syscalls/decode.h"
#include "syscalls/table.h"

static int copy_file(const char *from, const char *to)
{
	if (link(from, to) == 0)     /* the store's files never change */
		return 0;
	size_t len;
	char *data = read_file(from, &len);
	if (!data)
		return -1;
	int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = fd < 0 || write_all(fd, data, len) < 0 ? -1 : 0;
	if (rc < 0)
		err_set("cannot write %s: %s", to, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(data);
	return rc;
}

static bool is_stream(const char *name)
{
	char *end;
	if (strncmp(name, "events.", 7))
		return false;
	strtoul(name + 7, &end, 10);
	return !*end && end != name + 7;
}

/* Everything of the trace directory but its header and streams (at the
 * top level), recursively: the store of files, and what later formats add. */
static int copy_tree(const char *from, const char *to, bool top)
{
	DIR *d = opendir(from);
	if (!d) {
		err_set("cannot read %s: %s", from, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (top && (!strcmp(e->d_name, "header") || is_stream(e->d_name) ||
		             e->d_name[0] == '.')))
			continue;
		char *src = xasprintf("%s/%s", from, e->d_name);
		char *dst = xasprintf("%s/%s", to, e->d_name);
		struct stat st;
		if (lstat(src, &st) < 0) {
			err_set("cannot read %s: %s", src, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(dst, 0700) < 0 && errno != EEXIST) {
				err_set("cannot create %s: %s", dst, strerror(errno));
				rc = -1;
			} else {
				rc = copy_tree(src, dst, false);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(src, dst);
		}                    /* sockets (a live recording's): not data */
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

/* The edits of one event, in the order they were made. */
static const struct lib_edit *edit_of(const scribe_edit *ed, size_t *from, uint32_t stream,
                                      uint64_t index)
{
	for (; *from < ed->nedits; (*from)++) {
		const struct lib_edit *e = &ed->edits[*from];
		if (e->stream == stream && e->index == index) {
			(*from)++;
			return e;
		}
	}
	return NULL;
}

/* A traced call's new result, and its new bytes in its first region. */
static void edit_syscall(struct event *ev, const struct lib_edit *e)
{
	ev->sys.ret = e->result;
	ev->sys.flags |= SYSF_RESULT;
	if (!e->data)
		return;
	if (!ev->sys.nregions) {
		/* no region yet (it failed): where its first out argument
		 * points (check_target made sure it has one) */
		ev->sys.regions = xcalloc(1, sizeof(*ev->sys.regions));
		ev->sys.nregions = 1;
		ev->sys.regions[0].addr = ev->sys.args[sys_desc(ev->sys.nr)->out[0].arg];
	}
	ev->sys.regions[0].data = (struct ev_bytes){ e->data, e->len };
}

/* A batch with its sub-th record's result and data changed (e->op ==
 * ED_RESULT) or with that record and every later one removed (ED_CUT). */
static void edit_batch(struct event *ev, const struct lib_edit *e, struct buf *out)
{
	const struct ev_bytes *recs = &ev->buf.recs;
	uint32_t k = 0, kept = 0;
	for (uint64_t off = 0; off + sizeof(struct sb_rec) <= recs->len;) {
		struct sb_rec rec;
		if (!sb_rec_at(recs->p, recs->len, off, &rec))
			break;
		const uint8_t *payload = recs->p + off + sizeof(rec);
		size_t plen = rec.size - sizeof(rec);
		off += sb_rec_stride(rec.size);
		if (++k == e->sub && e->op == ED_CUT)
			break;
		kept++;
		if (k != e->sub) {
			buf_put(out, payload - sizeof(rec), sb_rec_stride(rec.size));
			continue;
		}
		struct sb_layout l;
		sys_rec_layout(&rec, payload, plen, &l);
		size_t keep = MIN(l.data_off, plen), n = e->data ? e->len : plen - keep;
		rec.ret = e->result;
		rec.size = (uint32_t)(sizeof(rec) + keep + n);
		buf_put(out, &rec, sizeof(rec));
		buf_put(out, payload, keep);
		buf_put(out, e->data ? e->data : payload + keep, n);
		static const uint8_t zero[8];
		buf_put(out, zero, sb_rec_stride(rec.size) - rec.size);
	}
	ev->buf.nrec = kept;
	ev->buf.recs = (struct ev_bytes){ out->p, out->len };
}

/* Append one source event to the new stream, edited; false once the
 * stream is cut here. */
static bool copy_event(scribe_edit *ed, struct trc_stream *s, const uint8_t *p, size_t len,
                       uint32_t dom, uint64_t idx, bool *cut)
{
	size_t from = 0;
	const struct lib_edit *e = edit_of(ed, &from, dom, idx);
	if (!e) {
		trc_stream_append(s, p, len);
		return true;
	}
	struct event ev;
	if (ev_decode(p, len, &ev) < 0)
		return false;
	struct buf recs = { 0 }, enc = { 0 };
	bool keep = true, go_on = true;
	for (; e; e = edit_of(ed, &from, dom, idx)) {
		if (e->op == ED_DROP)
			keep = false;
		if (e->op == ED_CUT) {
			*cut = true;
			go_on = false;
			keep = e->sub != 0;    /* a batch keeps the calls before */
		}
		if (e->sub && keep) {
			struct buf tmp = { 0 };
			edit_batch(&ev, e, &tmp);
			buf_free(&recs);
			recs = tmp;
			keep = ev.buf.nrec > 0;
		} else if (e->op == ED_RESULT) {
			edit_syscall(&ev, e);
		} else if (e->op == ED_OUTSEQ) {
			ev.sys.outseq = (uint64_t)e->result;
		}
	}
	if (keep) {
		ev_encode(&enc, &ev);
		trc_stream_append(s, enc.p, enc.len);
	}
	buf_free(&enc);
	buf_free(&recs);
	ev_clear(&ev);
	return go_on;
}

/* Rewrite stream dom; -1 with a message when the source is damaged. */
static int copy_stream(scribe_edit *ed, struct trc_writer *w, uint32_t dom, bool *cut)
{
	struct trc_reader *rd = trc_reader_open(ed->dir, dom, true);
	if (!rd)
		return lib_fail_last(ed->err, SCRIBE_E_IO);
	struct trc_stream *s = trc_stream_create(w, dom);
	const uint8_t *p;
	size_t len;
	uint64_t idx;
	enum trc_read_status st;
	while ((st = trc_reader_next(rd, &p, &len, &idx)) == TRC_OK)
		if (!copy_event(ed, s, p, len, dom, idx, cut))
			break;
	int rc = SCRIBE_OK;
	if (st == TRC_TRUNCATED)
		*cut = true;         /* as damaged as the source: interrupted */
	else if (st == TRC_CORRUPT)
		rc = lib_fail_last(ed->err, SCRIBE_E_CORRUPT);
	trc_stream_finish(s);
	trc_reader_close(rd);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* The edited copy of the trace, into the new directory path. */
static int write_trace(scribe_edit *ed, const char *path)
{
	if (copy_tree(ed->dir, path, true) < 0)
		return lib_fail_last(ed->err, SCRIBE_E_IO);
	struct trc_writer *w = trc_writer_create(path);
	if (!w)
		return lib_fail_last(ed->err, SCRIBE_E_IO);
	uint32_t *doms;
	int n = lib_streams(ed->dir, &doms);
	bool cut = !ed->hdr.complete;
	int rc = SCRIBE_OK;
	for (int i = 0; i < n && rc == SCRIBE_OK; i++)
		rc = copy_stream(ed, w, doms[i], &cut);
	free(doms);
	struct trc_header h = ed->hdr;
	uint64_t *counts = NULL;
	if (trc_writer_close(w, &h.events, &h.bytes, &counts, &h.n_stream_events) < 0 &&
	    rc == SCRIBE_OK)
		rc = lib_fail_last(ed->err, SCRIBE_E_IO);
	h.stream_events = counts;
	/* a cut trace is an interrupted recording: no status, no totals */
	h.complete = h.complete && !cut;
	if (rc == SCRIBE_OK && trc_header_write(path, &h) < 0)
		rc = lib_fail_last(ed->err, SCRIBE_E_IO);
	free(counts);
	return rc;
}

/* A save that failed leaves no half-written trace behind. */
static int save_failed(const char *path, int rc)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

int scribe_edit_save(scribe_edit *ed, const char *path)
{
	if (!ed || !ed->dir || !path)
		return SCRIBE_E_ARG;
	err_private_thread();
	if (mkdir(path, 0700) < 0)
		return lib_fail(ed->err, SCRIBE_E_IO, "cannot create %s: %s", path, strerror(errno));
	int rc = write_trace(ed, path);
	return rc < 0 ? save_failed(path, rc) : rc;
}
