# cat of a file into a regular file uses copy_file_range, whose bytes never
# pass through memory: record answers EINVAL when the destination is its
# stdout, cat falls back to read/write, and replay shows the bytes again.
. "$TOP/tests/lib.sh"
cmd=(sh -c "head -c 20000 /dev/urandom | od -An -tx1 >'$T/data'; cat '$T/data'")
nondet "${cmd[@]}"
rr_check -- "${cmd[@]}"
[ "$(wc -c <"$T/rr.rec.out")" -gt 50000 ] || fail "cat printed only $(wc -c <"$T/rr.rec.out") bytes"
dump_trace "$T/rr"
grep -q 'copy_file_range(.*= -1 EINVAL' "$T/rr.dump" || fail "cat did not try copy_file_range"
