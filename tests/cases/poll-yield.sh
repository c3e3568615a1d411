# One thread polls with a raw syscall while the sibling it waits for
# computes: threads of a process run one at a time when recorded, and the
# poller, never in user code for a whole slice, was never preempted: the
# sibling never ran and the recording never ended.  A holder that kept
# its contended domain 50 ms now lets it go at its next such call.
. "$TOP/tests/lib.sh"
nondet "$B/poll_yield"
tr=$T/rr
timeout -k 5 60 "$SCRIBE" record -q -o "$tr" -- "$B/poll_yield" >"$tr.rec.out" 2>"$tr.rec.err"
st=$?
[ "$st" = 124 ] && fail "the recording did not end in 60 s (natively: milliseconds)"
[ "$st" = 0 ] || { cat "$tr.rec.err" >&2; fail "record exited $st"; }
grep -Eq '^polled [0-9]+ times$' "$tr.rec.out" || fail "$(cat "$tr.rec.out")"
timeout -k 5 60 "$SCRIBE" replay "$tr" >"$tr.rep.out" 2>"$tr.rep.err" || { cat "$tr.rep.err" >&2; fail "replay failed"; }
cmp -s "$tr.rec.out" "$tr.rep.out" || fail "replay printed '$(cat "$tr.rep.out")', the recording '$(cat "$tr.rec.out")'"
