# Mappings exercised widely (issue 16): anonymous and file-backed, private
# and shared maps of one file, mremap growing in place and moving,
# madvise(MADV_DONTNEED), msync, ftruncate of a mapped file both ways,
# /dev/zero private and shared, a map made by a forked child.  Replay used
# to stop with "the program made 0 of the 1 buffered calls recorded before
# this point": it died of SIGBUS where the program touched the grown file
# (its shared copy kept the size of the first mapping).  And a private map
# of the file missed what the shared one wrote.
. "$TOP/tests/lib.sh"
mkdir -p "$T/d"
nondet "$B/sigmap_mmap" "$T/d"
rr_check --expect-out '^child exited 0; parent sees C in the file and K in /dev/zero shared$' \
	-- "$B/sigmap_mmap" "$T/d"
want '^private sees shared write: S; shared sees private write: 0$' '^moved shared writes the file: M$' \
	'^grown file 0 B B$'
