# A short fuzzing run over everything that reads a trace (tests/fuzz.sh):
# 15 seconds of the libFuzzer target when it is built (make fuzz), then its
# whole-program mutation pass; without the libFuzzer build, 15 seconds of
# the mutation pass alone.  Any crash, sanitizer report or hang fails;
# the reproducers stay in this case's scratch directory.
. "$TOP/tests/lib.sh"
export FUZZ_OUT=$T/fuzz
args=(15)
[ -x "$TOP/build/fuzz/fuzz-trace" ] || args=(--mutate-only 15)
"$TOP/tests/fuzz.sh" "${args[@]}" >"$T/fuzz.log" 2>&1
st=$?
grep -v '^fuzz: seeded' "$T/fuzz.log" | tail -n 25
[ "$st" = 0 ] || fail "tests/fuzz.sh ${args[*]} exited $st; reproducers in $FUZZ_OUT/artifacts"
