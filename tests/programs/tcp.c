/* tcp: a loopback TCP client and server in one process, nonblocking connect, accept4, poll;
 * exchanges messages including random bytes, prints ports and everything received. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(x) do { if (!(x)) { fprintf(stderr, "line %d: %s: %s\n", __LINE__, #x, strerror(errno)); return 1; } } while (0)

static int wait_fd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r = poll(&p, 1, 5000);
	return r == 1 ? p.revents : -1;
}

static void hex(const char *what, const unsigned char *b, ssize_t n)
{
	printf("%s (%zd):", what, n);
	for (ssize_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

int main(void)
{
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(ls >= 0);
	int one = 1;
	CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(ls, (struct sockaddr *)&a, sizeof a) == 0);
	CHECK(listen(ls, 4) == 0);
	socklen_t al = sizeof a;
	CHECK(getsockname(ls, (struct sockaddr *)&a, &al) == 0);
	printf("listening on %s port %d\n", inet_ntoa(a.sin_addr), ntohs(a.sin_port));

	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(c >= 0);
	int r = connect(c, (struct sockaddr *)&a, sizeof a);
	printf("connect: %d %s\n", r, r ? (errno == EINPROGRESS ? "EINPROGRESS" : strerror(errno)) : "ok");
	printf("listener poll: %#x\n", wait_fd(ls, POLLIN));
	struct sockaddr_in peer;
	socklen_t pl = sizeof peer;
	int s = accept4(ls, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	CHECK(s >= 0);
	printf("accepted peer %s port %d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
	printf("client poll out: %#x\n", wait_fd(c, POLLOUT));
	int soerr = -1;
	socklen_t el = sizeof soerr;
	CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &soerr, &el) == 0);
	struct sockaddr_in me;
	socklen_t ml = sizeof me;
	CHECK(getsockname(c, (struct sockaddr *)&me, &ml) == 0);
	printf("client SO_ERROR %d local port %d (same as accepted peer: %d)\n", soerr,
	       ntohs(me.sin_port), me.sin_port == peer.sin_port);
	CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0);

	/* nothing to read yet: EAGAIN */
	char buf[256];
	ssize_t n = recv(s, buf, sizeof buf, 0);
	printf("early recv: %zd %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "?");

	for (int round = 0; round < 3; round++) {
		char msg[64];
		int ml2 = snprintf(msg, sizeof msg, "hello %d from client", round);
		CHECK(send(c, msg, ml2, 0) == ml2);
		printf("server poll in: %#x\n", wait_fd(s, POLLIN));
		n = recv(s, buf, sizeof buf, 0);
		printf("server got %zd: '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);

		unsigned char rnd[16];
		CHECK(getrandom(rnd, sizeof rnd, 0) == sizeof rnd);
		CHECK(write(s, rnd, sizeof rnd) == sizeof rnd);
		printf("client poll in: %#x\n", wait_fd(c, POLLIN));
		unsigned char got[64];
		n = read(c, got, sizeof got);
		hex("client got random", got, n);
		printf("match %d\n", n == sizeof rnd && memcmp(rnd, got, n) == 0);
	}

	/* sendmsg/recvmsg with two iovecs */
	struct iovec iov[2] = { { "scatter ", 8 }, { "gather", 6 } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	CHECK(sendmsg(c, &mh, 0) == 14);
	wait_fd(s, POLLIN);
	char b1[5], b2[32];
	struct iovec riov[2] = { { b1, sizeof b1 }, { b2, sizeof b2 } };
	struct msghdr rh = { .msg_iov = riov, .msg_iovlen = 2 };
	n = recvmsg(s, &rh, 0);
	printf("recvmsg %zd: '%.5s' + '%.*s'\n", n, b1, (int)(n > 5 ? n - 5 : 0), b2);

	CHECK(shutdown(c, SHUT_WR) == 0);
	printf("server poll after shutdown: %#x\n", wait_fd(s, POLLIN));
	n = recv(s, buf, sizeof buf, 0);
	printf("server recv after shutdown: %zd\n", n);
	close(s);
	printf("client poll after server close: %#x\n", wait_fd(c, POLLIN) & POLLIN);
	n = read(c, buf, sizeof buf);
	printf("client read after close: %zd\n", n);
	close(c);
	close(ls);
	return 0;
}
