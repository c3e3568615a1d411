# A lost update between two threads (read-modify-write without a lock):
# natively it shows up in a few runs in a hundred, a plain recording
# practically never has it (50 ms slices never split the loops), and
# `scribe chaos -n 50` finds a failing run, keeps its trace, deletes the
# others, and the kept trace replays to the same wrong total.  Serial: it
# keeps both CPUs busy, and the failure rate depends on the load.
. "$TOP/tests/lib.sh"
P=$B/lost_update
[ "$(nproc)" -ge 2 ] || skip_unsupported "one CPU: the threads never overlap natively"

n=0 nf=0
for i in $(seq 40); do
	"$P" >/dev/null 2>&1 || nf=$((nf + 1))
	n=$((n + 1))
done
echo "native failure rate: $nf/$n runs"

pf=0
for i in $(seq 8); do
	"$SCRIBE" record -q -o "$T/plain$i" -- "$P" >"$T/plain.out" 2>&1
	st=$?
	[ "$st" != 125 ] || { cat "$T/plain.out" >&2; fail "plain recording failed"; }
	[ "$st" = 0 ] || pf=$((pf + 1))
done
echo "plain recording failure rate: $pf/8 runs"
[ "$pf" -le 1 ] || fail "plain recordings failed $pf times in 8: not the rare race this case is about"

start=$(date +%s)
"$SCRIBE" chaos -n 50 -j 2 --timeout 30 -o "$T/chaos" -- "$P" >"$T/summary" 2>"$T/chaos.err"
st=$?
echo "scribe chaos -n 50 took $(( $(date +%s) - start )) s:"
cat "$T/summary"
[ "$st" = 1 ] || { cat "$T/chaos.err" >&2; fail "scribe chaos exited $st, expected 1 (a failing run kept)"; }
grep -Eq '^scribe chaos: 50 runs, [1-9][0-9]* failed, [1-9][0-9]* distinct failures?$' "$T/summary" ||
	fail "no failure in the summary"
grep -Eq '^failure 1 \([0-9]+ runs?\): exit 1$' "$T/summary" || fail "the failure's signature is not exit 1"
grep -Eq '^  \| lost_update: [0-9]+ updates lost$' "$T/summary" || fail "the signature lacks the stderr line"

# Every kept trace is a failing run's; every passing run's is gone.
nfail=$(sed -En 's/^scribe chaos: 50 runs, ([0-9]+) failed.*/\1/p' "$T/summary")
grep -E '^  /.*/run-[0-9]+ \(seed [0-9]+\)$' "$T/summary" | awk '{print $1}' >"$T/kept"
[ "$(wc -l <"$T/kept")" = "$nfail" ] || fail "the summary lists $(wc -l <"$T/kept") traces for $nfail failures"
ndirs=$(find "$T/chaos" -mindepth 1 -maxdepth 1 -type d -name 'run-*' | wc -l)
[ "$ndirs" = "$nfail" ] || fail "$ndirs trace directories left for $nfail failures"

# The first kept trace replays to the same wrong total, and names its seed.
tr=$(head -1 "$T/kept")
[ -d "$tr" ] || fail "kept trace $tr is missing"
grep -Eq '^total [0-9]+, expected 4000000$' "$tr.out" || fail "the run's stdout: $(cat "$tr.out")"
! grep -q '^total 4000000,' "$tr.out" || fail "a kept run has the right total"
"$SCRIBE" replay "$tr" >"$T/rep.out" 2>"$T/rep.err"
rs=$?
[ "$rs" = 1 ] || { cat "$T/rep.err" >&2; fail "replay of the kept trace exited $rs, expected 1"; }
cmp -s "$tr.out" "$T/rep.out" || fail "replay printed '$(cat "$T/rep.out")', the run '$(cat "$tr.out")'"
cmp -s "$tr.err" "$T/rep.err" || fail "replay's stderr differs from the run's"
seed=$(grep -F "$tr " "$T/summary" | sed -E 's/.*\(seed ([0-9]+)\)$/\1/')
"$SCRIBE" info "$tr" >"$T/info" || fail "scribe info failed"
grep -Eq "^chaos: +seed $seed " "$T/info" || fail "scribe info does not show seed $seed"
echo "replayed $tr: $(cat "$T/rep.out")"
