# Chaos recordings (record --chaos=SEED: random slices, priorities and
# delays) replay exactly like any other: threads racing on memory, on a
# mutex and condition variables, on a barrier, and two processes trading
# signals, each under several seeds.  The seed is in the header.  (A task
# that got its domain straight back after a preemption once lacked its
# switch event: prodcons and interleave then diverged at a pthread_join.)
. "$TOP/tests/lib.sh"
n=0
for seed in 1 2 3 4 5; do
	rr_check --name lu$seed --rec-opt --chaos=$seed --expect-out '^total [0-9]+, expected 1000000$' \
		-- "$B/lost_update" 500000
	rr_check --name pc$seed --rec-opt --chaos=$seed --expect-out '^total 8200$' -- "$B/prodcons"
	rr_check --name br$seed --rec-opt --chaos=$seed -- "$B/barrier"
	rr_check --name il$seed --rec-opt --chaos=$seed -- "$B/interleave"
	rr_check --name pp$seed --rec-opt --chaos=$seed -- "$B/pingpong"
	n=$((n + 5))
done
"$SCRIBE" info "$T/lu3" >"$T/info" || fail "scribe info failed"
grep -Eq '^chaos: +seed 3 \(record --chaos=3\)$' "$T/info" || fail "info does not show the seed: $(cat "$T/info")"
"$SCRIBE" record -q -o "$T/plain" -- "$B/lost_update" 1000 >/dev/null || fail "plain record failed"
"$SCRIBE" info "$T/plain" >"$T/info2" || fail "scribe info failed"
! grep -q '^chaos:' "$T/info2" || fail "a plain recording shows a chaos seed"
expect_status 125 'SEED must be a number' "$SCRIBE" record --chaos=abc -- "$B/lost_update" 1000
echo "$n chaos recordings replayed"
