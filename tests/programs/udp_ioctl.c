/* udp_ioctl: UDP on 127.0.0.1 between two sockets bound to ephemeral
 * ports: sendto/recvfrom, sendmmsg/recvmmsg with several messages (and
 * the rest of its timeout),
 * sendmsg/recvmsg with two iovecs, the source address and an IP_PKTINFO
 * control message, truncated datagrams (recvmsg, recvfrom with MSG_TRUNC).  Then ioctls: FIONREAD on a
 * socket with a datagram pending, FIONBIO, SIOCGIFCONF (sized with a NULL
 * buffer first), and TCGETS/TCSETS on a pseudo-terminal (tcgetattr,
 * cfmakeraw, tcsetattr) that bytes are then passed through.  Ports and
 * random payloads differ from run to run. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define NMSG 3

static int udp_socket(const char *name, struct sockaddr_in *a)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*a = (struct sockaddr_in){ .sin_family = AF_INET };
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int r = bind(s, (struct sockaddr *)a, sizeof *a);
	socklen_t l = sizeof *a;
	int g = getsockname(s, (struct sockaddr *)a, &l);
	printf("%s: bind %d %s getsockname %d len %u %s port %d\n", name, r, en(r), g,
	       (unsigned)l, inet_ntoa(a->sin_addr), ntohs(a->sin_port));
	return r || g ? -1 : s;
}

static void sendto_recvfrom(int a, int b, const struct sockaddr_in *ba, const struct sockaddr_in *aa)
{
	unsigned char out[16], in[64];
	if (getrandom(out, sizeof out, 0) != sizeof out)
		return;
	ssize_t n = sendto(a, out, sizeof out, 0, (const struct sockaddr *)ba, sizeof *ba);
	printf("sendto: %zd %s checksum %08x\n", n, en(n), fnv(out, sizeof out));
	printf("b poll: %#x\n", wait_in(b));
	int pending = -1;
	int r = ioctl(b, FIONREAD, &pending);
	printf("FIONREAD: %d %s pending %d\n", r, en(r), pending);
	struct sockaddr_in from = { 0 };
	socklen_t fl = sizeof from;
	n = recvfrom(b, in, sizeof in, 0, (struct sockaddr *)&from, &fl);
	printf("recvfrom: %zd %s from len %u port %d (a's %d) checksum %08x match %d\n", n, en(n),
	       (unsigned)fl, ntohs(from.sin_port), from.sin_port == aa->sin_port,
	       fnv(in, n > 0 ? n : 0), n == sizeof out && memcmp(in, out, n) == 0);
}

static void nonblocking(int b)
{
	int on = 1, off = 0;
	int r = ioctl(b, FIONBIO, &on);
	printf("FIONBIO on: %d %s O_NONBLOCK %d\n", r, en(r), (fcntl(b, F_GETFL) & O_NONBLOCK) != 0);
	char c;
	ssize_t n = recvfrom(b, &c, 1, 0, NULL, NULL);
	printf("recvfrom with nothing pending: %zd %s\n", n, en(n));
	r = ioctl(b, FIONBIO, &off);
	printf("FIONBIO off: %d %s O_NONBLOCK %d\n", r, en(r), (fcntl(b, F_GETFL) & O_NONBLOCK) != 0);
}

static void mmsgs(int a, int b, struct sockaddr_in *ba, const struct sockaddr_in *aa)
{
	static const size_t sizes[NMSG] = { 5, 17, 33 };
	unsigned char out[NMSG][33], in[NMSG + 1][64];
	struct iovec iov[NMSG + 1];
	struct mmsghdr m[NMSG + 1];
	struct sockaddr_in from[NMSG + 1];
	if (getrandom(out, sizeof out, 0) != sizeof out)
		return;
	memset(m, 0, sizeof m);
	for (int i = 0; i < NMSG; i++) {
		iov[i] = (struct iovec){ out[i], sizes[i] };
		m[i].msg_hdr = (struct msghdr){ .msg_name = ba, .msg_namelen = sizeof *ba,
		                                .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	int r = sendmmsg(a, m, NMSG, 0);
	printf("sendmmsg: %d %s lengths %u %u %u\n", r, en(r), m[0].msg_len, m[1].msg_len, m[2].msg_len);
	int got = 0;
	for (int tries = 0; got < NMSG && tries < 10 && wait_in(b) > 0; tries++) {
		memset(m, 0, sizeof m);
		for (int i = 0; i <= NMSG; i++) {
			iov[i] = (struct iovec){ in[i], sizeof in[i] };
			m[i].msg_hdr = (struct msghdr){ .msg_name = &from[i], .msg_namelen = sizeof from[i],
			                                .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		/* MSG_WAITFORONE: block for the first only; the kernel writes
		 * back what is left of the timeout. */
		struct timespec limit = { 5, 0 };
		r = recvmmsg(b, m, NMSG + 1, MSG_WAITFORONE, &limit);
		long left = limit.tv_sec * 1000000 + limit.tv_nsec / 1000;
		printf("recvmmsg: %d %s timeout left %ld us (less than 5 s: %d)\n", r, en(r), left,
		       left < 5000000);
		for (int i = 0; i < r && got < NMSG; i++, got++)
			printf("recvmmsg message %d: %u bytes namelen %u from a %d checksum %08x match %d\n",
			       got, m[i].msg_len, (unsigned)m[i].msg_hdr.msg_namelen,
			       from[i].sin_port == aa->sin_port, fnv(in[i], m[i].msg_len),
			       m[i].msg_len == sizes[got] && memcmp(in[i], out[got], sizes[got]) == 0);
	}
	printf("recvmmsg total %d\n", got);
}

static void show_pktinfo(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO) {
			printf("cmsg level %d type %d\n", c->cmsg_level, c->cmsg_type);
			continue;
		}
		struct in_pktinfo pi;
		memcpy(&pi, CMSG_DATA(c), sizeof pi);
		char ifname[IF_NAMESIZE] = "?";
		if_indextoname(pi.ipi_ifindex, ifname);
		printf("IP_PKTINFO ifindex %d (%s) dst %s\n", pi.ipi_ifindex, ifname,
		       inet_ntoa(pi.ipi_addr));
	}
}

static void msgs(int a, int b, struct sockaddr_in *ba, const struct sockaddr_in *aa)
{
	int one = 1;
	int r = setsockopt(b, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
	printf("IP_PKTINFO on: %d %s\n", r, en(r));
	char word[8];
	snprintf(word, sizeof word, "%05u", (unsigned)ntohs(aa->sin_port));
	struct iovec iov[2] = { { "port ", 5 }, { word, 5 } };
	struct msghdr mh = { .msg_name = ba, .msg_namelen = sizeof *ba, .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n = sendmsg(a, &mh, 0);
	printf("sendmsg: %zd %s\n", n, en(n));
	wait_in(b);
	char b1[3], b2[32] = "";
	struct iovec riov[2] = { { b1, sizeof b1 }, { b2, sizeof b2 - 1 } };
	struct sockaddr_in from = { 0 };
	union { char buf[128]; struct cmsghdr align; } ctl;
	struct msghdr rh = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = riov,
	                     .msg_iovlen = 2, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	n = recvmsg(b, &rh, 0);
	printf("recvmsg: %zd %s '%.3s' + '%s' namelen %u from a %d controllen %zu flags %#x\n", n,
	       en(n), b1, b2, (unsigned)rh.msg_namelen, from.sin_port == aa->sin_port,
	       (size_t)rh.msg_controllen, rh.msg_flags);
	show_pktinfo(&rh);
	unsigned char big[40], small[10];
	if (getrandom(big, sizeof big, 0) != sizeof big)
		return;
	sendto(a, big, sizeof big, 0, (struct sockaddr *)ba, sizeof *ba);
	wait_in(b);
	struct iovec siov = { small, sizeof small };
	struct msghdr sh = { .msg_iov = &siov, .msg_iovlen = 1 };
	n = recvmsg(b, &sh, 0);
	printf("recvmsg of 40 into 10: %zd flags %s checksum %08x match %d\n", n,
	       sh.msg_flags & MSG_TRUNC ? "MSG_TRUNC" : "-", fnv(small, sizeof small),
	       memcmp(small, big, sizeof small) == 0);
	/* MSG_TRUNC: the datagram's whole length comes back, 10 bytes are written. */
	sendto(a, "0123456789abcdefghijklmnopqrstuvwxyz", 36, 0, (struct sockaddr *)ba, sizeof *ba);
	wait_in(b);
	n = recvfrom(b, small, sizeof small, MSG_TRUNC, NULL, NULL);
	printf("recvfrom MSG_TRUNC of 36 into 10: %zd '%.10s'\n", n, (char *)small);
}

static void ifconf(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifconf ifc = { .ifc_len = 0, .ifc_buf = NULL };
	int r = ioctl(s, SIOCGIFCONF, &ifc);
	printf("SIOCGIFCONF size: %d %s len %d (%zu per ifreq)\n", r, en(r), ifc.ifc_len,
	       sizeof(struct ifreq));
	if (r < 0 || ifc.ifc_len <= 0)
		return;
	int len = ifc.ifc_len;
	struct ifreq *reqs = calloc(1, len);
	ifc.ifc_req = reqs;
	r = ioctl(s, SIOCGIFCONF, &ifc);
	printf("SIOCGIFCONF: %d %s len %d (%d)\n", r, en(r), ifc.ifc_len, ifc.ifc_len == len);
	for (int i = 0; r == 0 && i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&reqs[i].ifr_addr;
		printf("interface %s family %d address %s\n", reqs[i].ifr_name, sin->sin_family,
		       inet_ntoa(sin->sin_addr));
	}
	free(reqs);
	close(s);
}

static void show_termios(const char *what, int fd)
{
	struct termios t;
	memset(&t, 0, sizeof t);
	int r = tcgetattr(fd, &t);
	printf("%s tcgetattr: %d %s ECHO %d ICANON %d ISIG %d OPOST %d CS8 %d VMIN %d VTIME %d\n",
	       what, r, en(r), !!(t.c_lflag & ECHO), !!(t.c_lflag & ICANON), !!(t.c_lflag & ISIG),
	       !!(t.c_oflag & OPOST), (t.c_cflag & CSIZE) == CS8, t.c_cc[VMIN], t.c_cc[VTIME]);
}

static void pty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0) {
		printf("posix_openpt: %s: /dev/ptmx is not usable here\n", strerrorname_np(errno));
		return;
	}
	int g = grantpt(m), u = unlockpt(m);
	const char *name = ptsname(m);
	printf("pty: grantpt %d unlockpt %d ptsname %s\n", g, u, name ? "/dev/pts/N" : "NULL");
	int s = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	printf("pty slave open: %s isatty %d\n", en(s), isatty(s));
	if (s < 0)
		return;
	show_termios("slave", s);
	struct termios t;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	int r = tcsetattr(s, TCSANOW, &t);
	printf("slave tcsetattr raw: %d %s\n", r, en(r));
	show_termios("slave", s);
	unsigned char rnd[4];
	char msg[16];
	if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
		return;
	int len = snprintf(msg, sizeof msg, "%02x%02x%02x%02x\n", rnd[0], rnd[1], rnd[2], rnd[3]);
	printf("master write: %zd\n", write(m, msg, len));
	printf("slave poll: %#x\n", wait_in(s));
	int pending = -1;
	r = ioctl(s, FIONREAD, &pending);
	char in[32];
	ssize_t n = read(s, in, sizeof in);
	printf("slave FIONREAD %d pending %d, read %zd match %d\n", r, pending, n,
	       n == len && memcmp(in, msg, len) == 0);
	close(s);
	close(m);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct sockaddr_in aa, ba;
	int a = udp_socket("a", &aa), b = udp_socket("b", &ba);
	if (a < 0 || b < 0)
		return 1;
	sendto_recvfrom(a, b, &ba, &aa);
	nonblocking(b);
	mmsgs(a, b, &ba, &aa);
	msgs(a, b, &ba, &aa);
	close(a);
	close(b);
	ifconf();
	pty();
	return 0;
}
