# gzip -c FILE (binary output on stdout); the file changes before replay.
. "$TOP/tests/lib.sh"
f=$T/data.bin
{ head -c 30000 /dev/urandom; seq 20000; } >"$f"
/usr/bin/gzip -c "$f" >"$T/native.gz"
rr_check --between 'echo changed >"$f"' -- /usr/bin/gzip -c "$f"
cmp -s "$T/native.gz" "$T/rr.rec.out" || fail "recorded gzip output differs from a native run"
