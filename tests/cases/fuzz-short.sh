# A short fuzzing run over everything that reads a trace (tests/fuzz.sh):
# 15 seconds of the libFuzzer target, then its whole-program mutation
# pass.  Any crash, sanitizer report or hang fails; the reproducers stay in
# this case's scratch directory.  Without the libFuzzer build (make
# build/fuzz/fuzz-trace; make test builds it) the mutation pass runs alone
# and the case then skips: half a fuzzer is not a pass.
. "$TOP/tests/lib.sh"
export FUZZ_OUT=$T/fuzz
args=(15)
[ -x "$TOP/build/fuzz/fuzz-trace" ] || args=(--mutate-only 15)
"$TOP/tests/fuzz.sh" "${args[@]}" >"$T/fuzz.log" 2>&1
st=$?
grep -v '^fuzz: seeded' "$T/fuzz.log" | tail -n 25
[ "$st" = 0 ] || fail "tests/fuzz.sh ${args[*]} exited $st; reproducers in $FUZZ_OUT/artifacts"
[ "${args[0]}" != --mutate-only ] ||
	skip "the libFuzzer target is not built (make build/fuzz/fuzz-trace): only the mutation pass ran"
