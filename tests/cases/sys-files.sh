# File system calls no other case makes (tests/programs/sys_files.c):
# sendfile, splice, tee, copy_file_range, fallocate, sync_file_range,
# posix_fadvise, flock and fcntl locks held by a forked child (F_GETLK
# reports its pid, F_SETLKW waits for it), OFD locks, statfs/fstatfs,
# extended attributes (or their ENOTSUP answer), a FIFO made by mknod that
# a child writes through, one whose ends two threads open (each open
# waits for the other), hard and symbolic links, utimensat, inotify,
# mincore, mlock, msync of a shared file mapping, membarrier.  Pids, inode
# numbers, times and random data in the output.
. "$TOP/tests/lib.sh"
prog=$B/sys_files
nondet "$prog" "$T"
rr_check --expect-out '^done$' -- "$prog" "$T"
out=$T/rr.rec.out
want '^sendfile: 4000 offset now 5000, copy same yes$' \
	'^splice file->pipe: 5000 offset now 7000$' '^tee: 5000$' \
	'^splice pipe->file: 5000 offset now 5000, copy same yes$' \
	"^splice tee'd pipe->file: 5000, copy same yes$" \
	'^copy_file_range: 9000 offsets now 9500 9000, copy same yes$' \
	'^fallocate 64k: 0 size 65536 blocks [1-9][0-9]*$' \
	'^fallocate punch 32k: 0 size 65536 ' \
	'^sync_file_range: 0$' '^posix_fadvise SEQUENTIAL: 0 DONTNEED: 0 bad advice: EINVAL$'
want '^flock: child took LOCK_EX: y$' \
	'^flock: LOCK_EX\|LOCK_NB while the child holds it: -1 (EAGAIN|EWOULDBLOCK)$' \
	'^flock: LOCK_EX waiting for the child: 0$' '^flock: LOCK_SH\|LOCK_NB after: 0$' \
	'^fcntl: F_GETLK: 0 type F_WRLCK start 10 len 20 pid [0-9]+ \(the child: yes\)$' \
	'^fcntl: F_SETLK F_RDLCK 25\+1: -1 (EAGAIN|EACCES)$' \
	'^fcntl: F_SETLKW whole file: 0$' '^fcntl: F_GETLK on my own lock: 0 type F_UNLCK$' \
	'^fcntl: F_OFD_GETLK from another: 0 type F_WRLCK start 0 len 50 pid -1$' \
	'^fcntl: F_OFD_SETLK from another: -1 EAGAIN$' \
	'^fcntl: F_OFD_SETLK after the first closed: 0$'
want '^statfs: 0 type 0x[0-9a-f]+ bsize [0-9]+ namelen [0-9]+ blocks>0 (yes|no)$' \
	'^fstatfs: 0 same type yes same fsid yes$' '^statfs missing: -1 ENOENT$'
if grep -q '^xattr: not supported here' "$out"; then
	echo "xattrs: the file system under $T has none; checked the ENOTSUP path"
	want '^xattr: not supported here: setxattr -1 (ENOTSUP|EOPNOTSUPP)$' \
		'^xattr: getxattr -1 (ENOTSUP|EOPNOTSUPP|ENODATA)$' \
		'^xattr: fsetxattr -1 (ENOTSUP|EOPNOTSUPP)$' '^xattr: llistxattr [0-9]+$'
else
	echo "xattrs: supported under $T"
	want '^xattr: setxattr: 0 value [0-9a-f]{32}$' '^xattr: getxattr size: 32$' \
		'^xattr: getxattr: 32 value [0-9a-f]{32}$' \
		'^xattr: setxattr XATTR_CREATE again: -1 EEXIST$' \
		'^xattr: listxattr: 12 names user.scribe$' '^xattr: removexattr: 0$' \
		'^xattr: getxattr removed: -1 ENODATA$' \
		'^xattr: fgetxattr: 8 value [0-9a-f]{8}$' '^xattr: flistxattr: 7 names user.f$' \
		'^xattr: fremovexattr again: -1 ENODATA$' \
		'^xattr: lgetxattr: 8 value [0-9a-f]{8}$' '^xattr: llistxattr: 7 names user.l$' \
		'^xattr: lgetxattr too small: -1 ERANGE$' '^xattr: lremovexattr: 0$'
	# the value read back is the one set
	v=$(sed -n 's/^xattr: setxattr: 0 value //p' "$out")
	want "^xattr: getxattr: 32 value $v\$" "^xattr: fgetxattr: 8 value ${v:0:8}\$" \
		"^xattr: lgetxattr: 8 value ${v:8:8}\$"
fi
want '^mknod fifo: 0 is a FIFO yes$' '^mknodat fifo: 0$' \
	"^fifo: read 'hello from [0-9]+' \(from the child: yes\), child exited 0$" \
	"^fifo between threads: wrote 8, the reader got '[0-9a-f]{8}' \(same: yes\)$" \
	'^link: 0 inode [0-9]+ nlink 2 same inode yes$' '^link existing: -1 EEXIST$' \
	"^readlink: 4 'orig'$" '^readlink not a link: -1 EINVAL$' \
	"^readlinkat: 4 'hard'$" '^linkat AT_SYMLINK_FOLLOW: 0 nlink 3 same inode yes$' \
	'^linkat of the link itself: 0 a symlink yes$' \
	'^utimensat: 0 atime 1000000000\.123456789 mtime 1200000000\.987654321$' \
	'^utimensat now: 0 atime 1000000000\.123456789 mtime 1[0-9]{9}\.[0-9]{9}$' \
	'^utimensat missing: -1 ENOENT$' '^futimens: 0 atime 1100000000\.000000005$'
want '^inotify: read with nothing queued: -1 EAGAIN$' \
	'^inotify: IN_CREATE f1$' '^inotify: IN_MODIFY f1$' '^inotify: IN_CLOSE_WRITE f1$' \
	'^inotify: IN_MOVED_FROM f1$' '^inotify: IN_MOVED_TO f2$' \
	'^inotify: rename cookies match yes$' '^inotify: IN_DELETE f2$' \
	'^inotify: rm_watch: 0$' '^inotify: IN_IGNORED \(the directory\)$' \
	'^inotify: blocking read 32: IN_CREATE from-child, child exited 0$'
want '^mincore: 0 resident 1010$' '^mlock: 0$' '^mincore after mlock: 0 resident 1110$' \
	'^munlock: 0$' '^mincore unmapped: -1 ENOMEM$' \
	'^membarrier QUERY: [0-9]+ private expedited yes$' \
	'^membarrier PRIVATE_EXPEDITED: 0$' \
	'^msync MS_SYNC: 0$' '^msync unaligned: -1 EINVAL$' \
	"^msync: pread 32 '[0-9a-f]{32}' same as the mapping yes$"
[ -z "$(ls -A "$T" | grep '^files-')" ] || fail "the program left its directory behind: $(ls "$T")"
no_strays "$prog"
