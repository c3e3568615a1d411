/* fuzz-trace.c -- libFuzzer target for everything that parses a trace.
 *
 * The first byte of the input selects a mode (modulo 3), the rest is data:
 *
 *   0  a header file image: trc_header_parse() on it as it is, and again on
 *      a copy whose version, length field and XXH64 trailer are patched to
 *      be valid, so mutations reach the field parser behind the checksum;
 *   1  an event stream file image: trc_reader_open_mem() without checksum
 *      verification (so mutations reach the decompressor and decoders),
 *      then every event is read, ev_decode()d, ev_print()ed and ev_clear()ed;
 *   2  one raw encoded event: ev_decode() + ev_print() + ev_clear().
 *
 * Output goes to /dev/null: printing is exercised, not looked at.  Built
 * and run by `make fuzz` (tests/fuzz.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/util.h"
#include "syscalls/decode.h"
#include "trace/event.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

static void print_event(const struct event *ev)
{
	ev_print(devnull, ev);
	fputc('\n', devnull);
}

static void fuzz_header(const uint8_t *p, size_t len)
{
	struct trc_header h;
	if (trc_header_parse(p, len, &h) == 0) {
		fprintf(devnull, "%d %s %s\n", h.argc, h.argv[0], h.cpu ? h.cpu : "");
		trc_header_free(&h);
	}
	/* Same bytes with a valid preamble and checksum. */
	if (len < 16 + 8 || len - 24 > UINT32_MAX)
		return;
	uint8_t *copy = xmalloc(len);
	memcpy(copy, p, len);
	memcpy(copy, TRC_MAGIC_HDR, 8);
	uint32_t ver = TRC_VERSION, flen = (uint32_t)(len - 24);
	memcpy(copy + 8, &ver, 4);
	memcpy(copy + 12, &flen, 4);
	uint64_t sum = XXH64(copy, len - 8, 0);
	memcpy(copy + len - 8, &sum, 8);
	if (trc_header_parse(copy, len, &h) == 0) {
		for (int i = 0; i < h.argc; i++)
			fprintf(devnull, "%s\n", h.argv[i]);
		for (int i = 0; i < h.envc; i++)
			fprintf(devnull, "%s\n", h.env[i]);
		trc_header_free(&h);
	}
	free(copy);
}

static void fuzz_stream(const uint8_t *p, size_t len)
{
	struct trc_reader *r = trc_reader_open_mem(p, len, false);
	if (!r)
		return;
	for (;;) {
		const uint8_t *ep;
		size_t elen;
		uint64_t idx;
		if (trc_reader_next(r, &ep, &elen, &idx) != TRC_OK)
			break;
		struct event ev;
		if (ev_decode(ep, elen, &ev) < 0)
			continue;   /* the reader can go on past a bad event */
		print_event(&ev);
		ev_clear(&ev);
	}
	trc_reader_close(r);
}

static void fuzz_event(const uint8_t *p, size_t len)
{
	struct event ev;
	if (ev_decode(p, len, &ev) < 0)
		return;
	print_event(&ev);
	ev_clear(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	if (size < 1)
		return 0;
	const uint8_t *p = data + 1;
	size_t len = size - 1;
	/* Copy the payload to an exactly-sized heap block so ASan catches any
	 * read past its end (libFuzzer's own buffer would too, but this also
	 * covers the mode byte being skipped). */
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	if (len)
		memcpy(buf, p, len);
	switch (data[0] % 3) {
	case 0: fuzz_header(buf, len); break;
	case 1: fuzz_stream(buf, len); break;
	case 2: fuzz_event(buf, len); break;
	}
	free(buf);
	return 0;
}
