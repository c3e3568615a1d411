# tar cf - DIR (uncompressed, to stdout); the tree changes before replay.
. "$TOP/tests/lib.sh"
d=$T/tree
mkdir -p "$d/sub"
head -c 5000 /dev/urandom >"$d/one.bin"
seq 3000 >"$d/sub/two.txt"
ln -s one.bin "$d/link"
(cd "$T" && /usr/bin/tar cf - tree) >"$T/native.tar"
rr_check --between 'rm -rf "$d/sub"; echo other >"$d/one.bin"' -- /usr/bin/tar -C "$T" -cf - tree
cmp -s "$T/native.tar" "$T/rr.rec.out" || fail "recorded tar output differs from a native run"
