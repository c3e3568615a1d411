# sort -R shuffles a 1000-line file with a random hash key; the file is changed
# before replay, which must print the recorded order of the original lines.
. "$TOP/tests/lib.sh"
seq 1000 | sed 's/^/line /' >"$T/lines"
nondet /usr/bin/sort -R "$T/lines"
rr_check --between 'seq 5 >"$T/lines"' -- /usr/bin/sort -R "$T/lines"
[ "$(wc -l <"$T/rr.rec.out")" = 1000 ] || fail "sort printed $(wc -l <"$T/rr.rec.out") lines"
[ "$(sort "$T/rr.rec.out" | md5sum)" = "$(seq 1000 | sed 's/^/line /' | sort | md5sum)" ] || fail "sort -R lost lines"
