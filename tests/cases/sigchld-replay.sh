# Real SIGCHLDs from children that run again on replay must not move the
# parent's thread switches or break the calls scribe injects to map files.
. "$TOP/tests/lib.sh"
head -c 4096 /dev/urandom >"$T/data"
nondet "$B/sigchld_replay" "$T/data"
rr_check --expect-out '^race: child [0-9]+, main got [01], thread got [01]$' -- "$B/sigchld_replay" "$T/data"
grep -q '^maps: checksum [0-9]*$' "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
