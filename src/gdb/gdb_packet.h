/* gdb_packet.h -- the gdb remote protocol's framing: $data#checksum
 * packets, acknowledgements (until no-ack mode), binary escapes, and the
 * interrupt byte (0x03) a client sends while the target runs. */
#ifndef SCRIBE_GDB_PACKET_H
#define SCRIBE_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>

struct gdb_conn {
	int fd;
	bool noack;               /* QStartNoAckMode accepted */
	bool interrupted;         /* a 0x03 came */
	char in[65536];           /* bytes received, not yet consumed */
	size_t nin;
	char pkt[65536];          /* the last packet's data, NUL-terminated */
	size_t npkt;
};

enum { GDB_PKT = 1, GDB_NONE = 0, GDB_EOF = -1 };

/* Wait up to timeout_ms (< 0: forever) for a packet: GDB_PKT with it in
 * c->pkt, GDB_NONE (nothing yet; c->interrupted may have been set), or
 * GDB_EOF (the client went away or broke the framing). */
int gdb_recv(struct gdb_conn *c, int timeout_ms);
/* Send one packet (data escaped as the protocol needs). */
int gdb_send(struct gdb_conn *c, const char *data, size_t len);
int gdb_sendf(struct gdb_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hex helpers. */
void gdb_hex(char *out, const void *p, size_t n);
size_t gdb_unhex(void *out, const char *hex, size_t max);

#endif
