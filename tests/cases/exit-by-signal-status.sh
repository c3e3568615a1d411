# A program that kills itself with SIGKILL: scribe record and scribe
# replay both die of SIGKILL too, so the shell sees 137 for both (the
# output before the kill matches), info reports the signal, and no
# "scribe:" error line is printed: this is the program's status, not a
# failure of scribe.
. "$TOP/tests/lib.sh"
cd "$T" || fail "cannot cd to $T"
nondet --status 137 "$B/selfkill"    # it prints its pid
rr_check --status 137 --expect-out '^pid [0-9]+ about to kill itself$' -- "$B/selfkill"
! grep -q 'not reached' "$T/rr.rec.out" || fail "the program survived SIGKILL"
! grep -q '^scribe: ' "$T/rr.rec.err" || fail "record printed: $(cat "$T/rr.rec.err")"
! grep -q '^scribe: ' "$T/rr.rep.err" || fail "replay printed: $(cat "$T/rr.rep.err")"
# The shell sees scribe itself die of the signal, not exit with 137.
st=$(sh -c '"$0" record -q -o "$1" -- "$2" >/dev/null 2>&1; echo $?' "$SCRIBE" "$T/again" "$B/selfkill")
[ "$st" = 137 ] || fail "record in a child shell: status $st, expected 137"
st=$(bash -c '"$0" replay "$1" >/dev/null 2>&1 & wait $!; echo $?' "$SCRIBE" "$T/again")
[ "$st" = 137 ] || fail "replay in the background: status $st, expected 137"
perl -e 'system(@ARGV); exit(($? & 127) == 9 ? 0 : 1)' "$SCRIBE" replay -q "$T/rr" ||
	fail "scribe replay did not die of SIGKILL itself (wait status seen by perl: not signal 9)"
perl -e 'system(@ARGV); exit(($? & 127) == 9 ? 0 : 1)' "$SCRIBE" record -q -o "$T/third" -- "$B/selfkill" >/dev/null ||
	fail "scribe record did not die of SIGKILL itself"
"$SCRIBE" info "$T/rr" | grep -Eq '^status: .*killed by SIGKILL' || fail "info does not say the program was killed by SIGKILL: $("$SCRIBE" info "$T/rr" | grep status:)"
[ -z "$(ls "$T"/core* 2>/dev/null)" ] || fail "a core file was written"
