# Unix-domain sockets: stream and datagram socketpairs, SO_PEERCRED, a
# descriptor of a random-filled file passed from a child with SCM_RIGHTS
# along with its SCM_CREDENTIALS (SO_PASSCRED), and a named socket server
# (accept4 with SOCK_CLOEXEC|SOCK_NONBLOCK) a child connects to.  Pids and
# the file's checksum differ from run to run.
. "$TOP/tests/lib.sh"
out=$T/rr.rec.out
nondet "$B/unix_fds"
rr_check --status 0 --expect-out '^cleanup: unlink 0 rmdir 0$' -- "$B/unix_fds"
want '^stream wrote ([0-9]+) read \1: .ping from [0-9]+.$'
pid=$(sed -n 's/^self pid //p' "$out")
want "^stream pair SO_PEERCRED: 0 ok len 12 pid $pid uid [0-9]+ gid [0-9]+$"
want '^stream getsockname: 0 len 2 family 1$'
want '^stream shutdown 0, then read 0$'
want '^dgram recv 100 checksum [0-9a-f]{8} match 1$'
want '^dgram recv when empty: -1 EAGAIN$'
want '^dgram recvmsg of 50 into 8: 8 flags MSG_TRUNC '
want '^SCM_RIGHTS len 20 fd [0-9]+$'
want '^SCM_CREDENTIALS len 28 pid [0-9]+ uid [0-9]+ gid [0-9]+$'
want '^credentials are the child.s: 1 \(child [0-9]+\)$'
want '^passed fd: fstat 0 ok size 4096 regular 1 cloexec 1$'
want '^read 4096 bytes through the passed fd, checksum [0-9a-f]{8}, same as the child.s 1$'
want '^fd sender: waitpid 1, exit 0$'
want '^named getsockname: 0 len [0-9]+ same path 1$'
want '^accept4 before any client: -1 EAGAIN$'
want '^accepted fd: O_NONBLOCK 1 FD_CLOEXEC 1$'
child=$(sed -n 's/^client pid //p' "$out")
want "^accepted SO_PEERCRED: 0 ok len 12 pid $child "
want "^server read [0-9]+: 'hello from $child'$"
want '^client: waitpid 1, exit 0$'
no_strays "$B/unix_fds"
