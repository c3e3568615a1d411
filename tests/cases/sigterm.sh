# Death by SIGTERM (status 143), sent by raise() and by kill(getpid()).
. "$TOP/tests/lib.sh"
rr_check --status 143 --name raise --expect-out 'with raise' -- "$B/sigterm" raise
rr_check --status 143 --name kill --expect-out 'with kill' -- "$B/sigterm" kill
if grep -q 'still alive' "$T/raise.rec.out" "$T/kill.rec.out"; then fail "survived SIGTERM"; fi
