# A five-process shell pipeline: seq | shuf | head | sort -n | md5sum (shuf picks
# which 100 numbers survive, so the checksum is random), then $RANDOM.
. "$TOP/tests/lib.sh"
cmd='seq 1 2000 | shuf | head -100 | sort -n | md5sum; echo $RANDOM'
nondet /bin/bash -c "$cmd"
rr_check --expect-out '^[0-9a-f]{32}  -$' -- /bin/bash -c "$cmd"
[ "$(wc -l <"$T/rr.rec.out")" = 2 ] && tail -1 "$T/rr.rec.out" | grep -Eq '^[0-9]+$' || fail "bad output: $(cat "$T/rr.rec.out")"
