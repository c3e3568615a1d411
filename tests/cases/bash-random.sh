# bash -c 'echo $RANDOM $$': bash's random seed and its pid (no fork).
. "$TOP/tests/lib.sh"
nondet /bin/bash -c 'echo $RANDOM $$'
rr_check --expect-out '^[0-9]+ [0-9]+$' -- /bin/bash -c 'echo $RANDOM $$'
