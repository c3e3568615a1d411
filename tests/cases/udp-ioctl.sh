# UDP on 127.0.0.1 between two sockets on ephemeral ports: sendto/recvfrom,
# sendmmsg/recvmmsg, sendmsg/recvmsg with an IP_PKTINFO control message and
# a truncated datagram; ioctls FIONREAD, FIONBIO, SIOCGIFCONF, and
# TCGETS/TCSETS on a pseudo-terminal.  Ports and payloads differ between
# runs.  Replay must not touch the network.  Where /dev/ptmx is not usable
# (natively too) the case checks the rest, then skips as unsupported.
. "$TOP/tests/lib.sh"
out=$T/rr.rec.out
nondet "$B/udp_ioctl"
rr_check --status 0 -- "$B/udp_ioctl"
want '^a: bind 0 ok getsockname 0 len 16 127\.0\.0\.1 port [1-9][0-9]*$'
want '^b: bind 0 ok getsockname 0 len 16 127\.0\.0\.1 port [1-9][0-9]*$'
want '^FIONREAD: 0 ok pending 16$'
want '^recvfrom: 16 ok from len 16 port [0-9]+ \(a.s 1\) checksum [0-9a-f]{8} match 1$'
want '^FIONBIO on: 0 ok O_NONBLOCK 1$'
want '^recvfrom with nothing pending: -1 EAGAIN$'
want '^FIONBIO off: 0 ok O_NONBLOCK 0$'
want '^sendmmsg: 3 ok lengths 5 17 33$'
[ "$(grep -Ec '^recvmmsg message [0-2]: [0-9]+ bytes namelen 16 from a 1 checksum [0-9a-f]{8} match 1$' "$out")" = 3 ] ||
	fail "recvmmsg did not get the 3 messages: $(cat "$out")"
want '^recvmmsg total 3$'
want '^recvmmsg: [1-3] ok timeout left [0-9]+ us \(less than 5 s: 1\)$'
want '^sendmsg: 10 ok$'
want "^recvmsg: 10 ok 'por' \+ 't [0-9]+' namelen 16 from a 1 controllen [1-9][0-9]* flags 0$"
want '^IP_PKTINFO ifindex [1-9][0-9]* \(lo\) dst 127\.0\.0\.1$'
want '^recvmsg of 40 into 10: 10 flags MSG_TRUNC checksum [0-9a-f]{8} match 1$'
want "^recvfrom MSG_TRUNC of 36 into 10: 36 '0123456789'\$"
# The trace keeps the 10 bytes the kernel wrote, not the 36 it returned
# (as a traced call, or one the preload library buffered).
dump_trace "$T/rr"
grep -Eq 'recvfrom\([0-9]+, "0123456789", 10, 0x20, NULL, NULL\) = 36$|^ +recvfrom\([0-9]+\) = 36 "0123456789"$' "$T/rr.dump" ||
	fail "recvfrom with MSG_TRUNC: $(grep -F 'recvfrom(' "$T/rr.dump" | tail -1)"
want '^SIOCGIFCONF size: 0 ok len [1-9][0-9]* \(40 per ifreq\)$'
want '^SIOCGIFCONF: 0 ok len [1-9][0-9]* \(1\)$'
want '^interface lo family 2 address 127\.0\.0\.1$'
pty_skip=
if grep -q '^posix_openpt: ' "$out"; then
	"$B/udp_ioctl" >"$T/native.out" 2>&1
	grep -q '^posix_openpt: ' "$T/native.out" ||
		fail "posix_openpt failed under scribe only: $(grep '^posix_openpt: ' "$out")"
	pty_skip=$(grep '^posix_openpt: ' "$out")
else
	want '^pty: grantpt 0 unlockpt 0 ptsname /dev/pts/N$'
	want '^slave tcgetattr: 0 ok ECHO 1 ICANON 1 ISIG 1 '
	want '^slave tcsetattr raw: 0 ok$'
	want '^slave tcgetattr: 0 ok ECHO 0 ICANON 0 ISIG 0 OPOST 0 CS8 1 VMIN 1 VTIME 0$'
	want '^slave FIONREAD 0 pending 9, read 9 match 1$'
fi
[ -z "$pty_skip" ] || skip_unsupported "no pseudo-terminal here ($pty_skip)"
