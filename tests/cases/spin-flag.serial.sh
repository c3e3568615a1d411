# Thread A spins on an atomic flag with no system call in the loop
# (while (!flag) {}) until thread B, after sleeping 50 ms, sets it.
. "$TOP/tests/lib.sh"
nondet "$B/spin" pure
rr_check --expect-out '^spun [0-9]+ ns \(at least 50 ms: 1\)$' -- "$B/spin" pure
