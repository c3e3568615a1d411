# A library's status changing while processes map it: here a loop that
# chmods it without pause; in real life, an older scribe linking it into
# its trace, or a package manager.  Its ctime then moves between the
# loader stub's fstat of the mapped descriptor and the tracer's look at
# the file at the flush: the map must still be kept (the same inode is
# the same file; its bytes are hashed again), and replay must map the
# same bytes.  Before the fix the recording failed with "cannot keep the
# file that the dynamic loader ... mapped" in a parallel run of the suite.
. "$TOP/tests/lib.sh"
needs_buffer
command -v python3 >/dev/null || fail "python3 is not installed"
lib=$(ls /lib/x86_64-linux-gnu/libz.so.1 /usr/lib/x86_64-linux-gnu/libz.so.1 2>/dev/null | head -1)
[ -n "$lib" ] || fail "no libz.so.1 to copy"
mkdir -p "$T/lib" && cp "$lib" "$T/lib/libz.so.1" || fail "cannot copy $lib"
prog='for i in $(seq 40); do /bin/true; done; echo $RANDOM $$'
nondet bash -c "$prog"
# Bounded: stops when told, or after 60 s.
python3 - "$T/lib/libz.so.1" "$T/stop" <<'PY' &
import os, sys, time
lib, stop = sys.argv[1], sys.argv[2]
end, mode = time.time() + 60, 0o644
while time.time() < end and not os.path.exists(stop):
    mode ^= 0o111
    os.chmod(lib, mode)
PY
chmodder=$!
trap 'touch "$T/stop"; wait $chmodder 2>/dev/null' EXIT
rr_check --status 0 --env LD_PRELOAD="$T/lib/libz.so.1" --expect-out '^[0-9]+ [0-9]+$' \
	-- bash -c "$prog"
touch "$T/stop"
wait $chmodder
# The stub mapped it: a buffered map of a file whose copy the trace has.
dump_trace "$T/rr"
grep -Eq '^ *mmap\(.*\) = [0-9]+ \[file [0-9a-f]{16}\]$' "$T/rr.dump" ||
	fail "no map of a file by the loader stub in the trace"
