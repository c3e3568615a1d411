# pthread_cancel of a thread blocked in read() on a pipe and of one blocked in
# pthread_cond_wait: cleanup handlers run, joins return PTHREAD_CANCELED.
. "$TOP/tests/lib.sh"
nondet "$B/cancel"
rr_check --expect-out '^cleanup: reader \(blocked in read\) cancelled$' -- "$B/cancel"
grep -Eq '^reader joined: PTHREAD_CANCELED, cancel took [0-9]+ ns$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -q '^cleanup: waiter (blocked in cond_wait) cancelled, unlocking$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -Eq '^waiter joined: PTHREAD_CANCELED, cancel took [0-9]+ ns$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
grep -q '^mutex free again$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
