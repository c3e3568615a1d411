# grep -c PATTERN FILE; the file changes before replay.
. "$TOP/tests/lib.sh"
f=$T/words
for i in $(seq 500); do echo "w$RANDOM$RANDOM"; done >"$f"
want=$(grep -c '^w1' "$f")
rr_check --between 'seq 100 | sed s/^/w1/ >"$f"' -- /usr/bin/grep -c '^w1' "$f"
[ "$(cat "$T/rr.rec.out")" = "$want" ] || fail "recorded count $(cat "$T/rr.rec.out"), native $want"
