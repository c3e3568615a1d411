# The harness itself (tests/run.sh, tests/lib.sh): a copy of it runs four
# made-up cases (one passes, one fails, one skips, one skips as
# unsupported) in a scratch tree.  A skip must be reported as "SKIP NAME:
# REASON", never as a PASS, and counted in the summary line; with CI=true
# a plain skip is a failure and an unsupported one is not; a case that
# exits 77 without saying why fails; the exit status is non-zero exactly
# when something failed.
. "$TOP/tests/lib.sh"
tree=$T/tree
mkdir -p "$tree/tests/cases" || fail "cannot make $tree"
cp "$TOP/tests/run.sh" "$TOP/tests/lib.sh" "$tree/tests/" || fail "cannot copy the harness"
mk() { printf '. "$TOP/tests/lib.sh"\n%s\n' "$2" >"$tree/tests/cases/$1.sh"; }
mk ok 'true'
mk bad 'fail "on purpose"'
mk plain 'skip "no thing here"'
mk unsup 'skip_unsupported "one CPU"'

# run_tree [ENV=V...] -- PATTERN...: run the copy; output in $T/out,
# status in $st.
run_tree() {
	local -a envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env -u CI "${envs[@]}" TEST_JOBS=1 timeout 60 "$tree/tests/run.sh" "$@" >"$T/out" 2>&1
	st=$?
}
has() { grep -qxF -- "$1" "$T/out" || fail "no line '$1' in: $(cat "$T/out")"; }

run_tree -- ok plain unsup
[ "$st" = 0 ] || fail "run.sh exited $st with no failure: $(cat "$T/out")"
has 'SKIP plain: no thing here'
has 'SKIP unsup: unsupported: one CPU'
has '1 passed, 0 failed, 2 skipped'
! grep -q '^PASS \(plain\|unsup\)' "$T/out" || fail "a skip was reported as a pass: $(cat "$T/out")"

run_tree CI=true -- ok plain unsup
[ "$st" != 0 ] || fail "with CI=true a plain skip did not fail the run: $(cat "$T/out")"
grep -q '^FAIL plain ' "$T/out" || fail "with CI=true the plain skip is not a FAIL: $(cat "$T/out")"
has 'SKIP unsup: unsupported: one CPU'
has '1 passed, 1 failed, 1 skipped'

run_tree -- ok bad
[ "$st" != 0 ] || fail "run.sh exited 0 with a failure"
has '1 passed, 1 failed'

mk mute 'exit 77'
run_tree -- mute
grep -q '^FAIL mute ' "$T/out" || fail "a case exiting 77 without a reason did not fail: $(cat "$T/out")"
has '0 passed, 1 failed'

# --both reports each mode; a case about the buffer skips without it.
mk buf 'needs_buffer; echo ok'
run_tree -- --both buf
has 'SKIP buf [no-buffer]: unsupported: tests the syscall buffer, which --no-buffer turns off'
has '1 passed, 0 failed, 1 skipped'
