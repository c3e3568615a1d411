# Under the AddressSanitizer/UBSan build of scribe, a copy of tcp.sh:
# Loopback TCP client and server in one process: nonblocking connect, accept4, poll,
# random bytes exchanged, shutdown.  Replay must not touch the network.
. "$TOP/tests/lib.sh"
nondet "$B/tcp"
rr_check --expect-out '^client read after close: 0$' -- "$B/tcp"
grep -q '^match 1$' "$T/rr.rec.out" || fail "random bytes did not arrive"
