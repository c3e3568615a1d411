# Thread A spins on an atomic flag with no system call in the loop
# (while (!flag) {}) until thread B, after sleeping 50 ms, sets it.
. "$TOP/tests/lib.sh"
nondet "$B/spin" pure
rr_check --expect-out '^spun [0-9]+ ns \(at least 50 ms: 1\)$' -- "$B/spin" pure
# The same after reading a system file with the syscall buffer on: the
# library keeps what it learns for reads kept by reference in the slot,
# not in memory replay compares (the spin is placed by a memory hash).
# A --no-buffer run has no library: its buffered run tests this part.
buffered || exit 0
sys=$(readlink -f "$(command -v bash)")
rr_check --name ref --expect-out '^spun [0-9]+ ns \(at least 50 ms: 1\)$' -- \
	"$B/spin" pure "$sys"
grep -q "^read $(stat -c %s "$sys") bytes$" "$T/ref.rec.out" || fail "$(cat "$T/ref.rec.out")"
dump_trace "$T/ref"
grep -q 'the bytes of object ' "$T/ref.dump" || fail "no read of $sys was kept by reference"
