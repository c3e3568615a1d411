# The recorder is killed with SIGKILL in the middle of a recording: the
# program dies with it (no stray process), and the trace it leaves behind
# is usable up to the last chunk written: replay prints a prefix of what
# was recorded and exits 125 with
#   scribe: trace ends early at event N: the recording was interrupted
# dump stops at the same event, and info says the recording was
# interrupted and exits 0.  The program prints a time-stamped line every
# 50 ms for 5 s; scribe is killed after 1.5 s (chunks are written at least
# once a second).
. "$TOP/tests/lib.sh"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }
tag=recorder-killed-$$-$RANDOM
tr=$T/k

"$SCRIBE" record -q -o "$tr" -- "$B/ticker" 100 "$tag" >"$T/rec.out" 2>"$T/rec.err" </dev/null &
rec=$!
sleep 1.5
kill -0 "$rec" 2>/dev/null || { cat "$T/rec.err" >&2; fail "scribe record was no longer running after 1.5 s"; }
grep -q '^tick 1 ' "$T/rec.out" || fail "the program printed nothing in 1.5 s: $(cat "$T/rec.out")"
exec 3>&2 2>/dev/null    # not the shell's "Killed" job report
kill -9 "$rec"
wait "$rec"
rs=$?
exec 2>&3 3>&-
[ "$rs" = 137 ] || fail "scribe record killed by SIGKILL exited $rs"
no_strays "$tag"
sleep 0.3
n1=$(wc -l <"$T/rec.out")
! grep -q '^done' "$T/rec.out" || fail "the program ran to its end although scribe was killed"
[ "$n1" -lt 90 ] || fail "the program printed $n1 lines: it outlived scribe"
# no trace of a header rewrite: the recording never ended
[ -f "$tr/header" ] || fail "the killed recording left no header"
[ -f "$tr/events.0" ] || fail "the killed recording left no events.0"

msg='^scribe: trace ends early at event [0-9]+: the recording was interrupted$'
sc replay "$tr" </dev/null >"$T/rep.out" 2>"$T/rep.err"
ps=$?
[ "$ps" = 125 ] || { cat "$T/rep.err" >&2; fail "replay of the interrupted trace exited $ps, expected 125"; }
[ "$(grep -c '^scribe: ' "$T/rep.err")" = 1 ] && grep -Eq "$msg" "$T/rep.err" ||
	fail "replay stderr '$(cat "$T/rep.err")' is not one line matching /$msg/"
! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/rep.err" || fail "replay crashed: $(cat "$T/rep.err")"
n=$(stat -c %s "$T/rep.out")
cmp -s -n "$n" "$T/rep.out" "$T/rec.out" || {
	diff "$T/rec.out" "$T/rep.out" | head >&2
	fail "replay printed output that is not a prefix of the recorded output"
}
grep -q '^tick 0 ' "$T/rep.out" || fail "replay printed no tick at all: the chunks written before the kill were lost"
ev=$(sed -E 's/.*at event ([0-9]+):.*/\1/' "$T/rep.err")

sc info "$tr" >"$T/info.out" 2>"$T/info.err"
is=$?
[ "$is" = 0 ] || fail "info of the interrupted trace exited $is: $(cat "$T/info.err")"
grep -Eq '^status: .*the recording was interrupted' "$T/info.out" ||
	fail "info does not say the recording was interrupted: $(grep status: "$T/info.out")"
[ "$(sc info --events "$tr")" = "$ev" ] || fail "info --events does not count the $ev events replay got through"
no_strays "$tag"

# dump lists the events before event N (documented: exit 125 when the
# trace ends early, the events before the damage printed first).
sc dump "$tr" >"$T/dump.out" 2>"$T/dump.err"
ds=$?
[ "$(grep -Ec '^ *[0-9]+ \[' "$T/dump.out")" = "$ev" ] || fail "dump does not list the $ev events replay got through"
[ "$ds" = 125 ] || fail "dump of the interrupted trace exited $ds, expected 125"
grep -Eq "^scribe: trace ends early at event $ev: the recording was interrupted$" "$T/dump.err" ||
	fail "dump does not stop at event $ev: $(cat "$T/dump.err")"
