# bash -c 'ls / | sort | head -3; echo $RANDOM $$': bash forks a three-process
# pipeline, then prints its random seed and its pid.
. "$TOP/tests/lib.sh"
cmd='ls / | sort | head -3; echo $RANDOM $$'
nondet /bin/bash -c "$cmd"
rr_check -- /bin/bash -c "$cmd"
[ "$(head -3 "$T/rr.rec.out")" = "$(ls / | sort | head -3)" ] || fail "the pipeline printed $(head -3 "$T/rr.rec.out")"
[ "$(wc -l <"$T/rr.rec.out")" = 4 ] && tail -1 "$T/rr.rec.out" | grep -Eq '^[0-9]+ [0-9]+$' || fail "bad output: $(cat "$T/rr.rec.out")"
