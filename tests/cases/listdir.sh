# readdir + stat of a directory that changes: between record and replay the files
# are deleted, renamed and added; replay prints the recorded names, sizes, mtimes.
. "$TOP/tests/lib.sh"
d=$T/dir
mkdir "$d"
for i in 1 2 3 4 5 6; do
	head -c $((RANDOM % 5000)) /dev/urandom >"$d/f$RANDOM-$i.dat"
done
touch "$d"/*
# the listing shows the mtimes (ns): touching the files changes it
nondet bash -c 'touch "$1"/*; exec "$0" "$1"' "$B/listdir" "$d"
first=$(ls "$d" | head -1)
rr_check --expect-out '^6 entries$' \
	--between 'rm -f "$d/$first"; for f in "$d"/*; do mv "$f" "$f.renamed"; done; echo new >"$d/new.txt"; touch "$d"/*' \
	-- "$B/listdir" "$d"
grep -q "^$first size" "$T/rr.rec.out" || fail "the recording does not list $first"
