/* gdb_packet.c -- the gdb remote protocol's framing (gdb_packet.h). */
#include "gdb/gdb_packet.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

void gdb_hex(char *out, const void *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = 0;
}

size_t gdb_unhex(void *out, const char *hex, size_t max)
{
	unsigned char *b = out;
	size_t n = 0;
	while (n < max && hexval(hex[0]) >= 0 && hexval(hex[1]) >= 0) {
		b[n++] = (unsigned char)(hexval(hex[0]) << 4 | hexval(hex[1]));
		hex += 2;
	}
	return n;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Take what is in c->in: interrupt bytes, acks, one whole packet. */
static int parse(struct gdb_conn *c)
{
	size_t i = 0;
	while (i < c->nin && c->in[i] != '$') {
		if (c->in[i] == 0x03)
			c->interrupted = true;
		i++;              /* '+', '-', stray bytes */
	}
	memmove(c->in, c->in + i, c->nin - i);
	c->nin -= i;
	char *hash = c->nin ? memchr(c->in, '#', c->nin) : NULL;
	if (!hash || (size_t)(hash - c->in) + 3 > c->nin)
		return GDB_NONE;
	size_t len = (size_t)(hash - c->in) - 1, o = 0;
	unsigned sum = 0;
	for (size_t k = 1; k <= len; k++)
		sum += (unsigned char)c->in[k];
	unsigned want = (unsigned)(hexval(hash[1]) << 4 | hexval(hash[2]));
	/* unescape ('}' then the byte xor 0x20) */
	for (size_t k = 1; k <= len && o < sizeof(c->pkt) - 1; k++) {
		char ch = c->in[k];
		if (ch == '}' && k < len)
			ch = (char)(c->in[++k] ^ 0x20);
		c->pkt[o++] = ch;
	}
	c->pkt[o] = 0;
	c->npkt = o;
	size_t used = len + 4;
	memmove(c->in, c->in + used, c->nin - used);
	c->nin -= used;
	if (!c->noack && write_all(c->fd, (sum & 0xff) == want ? "+" : "-", 1) < 0)
		return GDB_EOF;
	return (sum & 0xff) == want || c->noack ? GDB_PKT : GDB_NONE;
}

int gdb_recv(struct gdb_conn *c, int timeout_ms)
{
	for (;;) {
		int rc = parse(c);
		if (rc != GDB_NONE)
			return rc;
		if (c->nin == sizeof(c->in))
			return GDB_EOF;        /* a packet larger than we take */
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		int n = poll(&p, 1, timeout_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? GDB_EOF : GDB_NONE;
		ssize_t got = read(c->fd, c->in + c->nin, sizeof(c->in) - c->nin);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return GDB_EOF;
		c->nin += (size_t)got;
		if (timeout_ms >= 0 && parse(c) == GDB_NONE)
			return GDB_NONE;      /* the caller polls again */
	}
}

int gdb_send(struct gdb_conn *c, const char *data, size_t len)
{
	char *out = malloc(2 * len + 5);
	if (!out)
		return -1;
	size_t o = 0;
	unsigned sum = 0;
	out[o++] = '$';
	for (size_t i = 0; i < len; i++) {
		char ch = data[i];
		if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
			out[o++] = '}';
			sum += '}';
			ch ^= 0x20;
		}
		out[o++] = ch;
		sum += (unsigned char)ch;
	}
	o += (size_t)snprintf(out + o, 4, "#%02x", sum & 0xff);
	int rc = write_all(c->fd, out, o);
	free(out);
	if (rc < 0 || c->noack)
		return rc;
	/* wait for the '+' (a '-' asks again, once) */
	for (int tries = 0; tries < 2; tries++) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		if (poll(&p, 1, 5000) <= 0)
			return -1;
		char ch;
		if (read(c->fd, &ch, 1) != 1)
			return -1;
		if (ch == '+')
			return 0;
		if (ch == 0x03)
			c->interrupted = true;
	}
	return 0;
}

int gdb_sendf(struct gdb_conn *c, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return gdb_send(c, buf, (size_t)(n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1));
}
