# find DIR -name '*.txt' over a small tree; files are removed and added before replay.
. "$TOP/tests/lib.sh"
d=$T/tree
mkdir -p "$d/a/b" "$d/c"
for p in a/x$RANDOM.txt a/b/y$RANDOM.txt c/z$RANDOM.txt top$RANDOM.txt a/skip.dat; do echo "$p" >"$d/$p"; done
rr_check --between 'rm -rf "$d/a"; touch "$d/new.txt"' -- /usr/bin/find "$d" -name '*.txt'
[ "$(grep -c '\.txt$' "$T/rr.rec.out")" = 4 ] || fail "find printed $(cat "$T/rr.rec.out")"
