# The file system holding the trace fills up while recording: scribe stops
# promptly with exit 125 and one line naming the cause,
#   scribe: cannot write the trace to DIR: No space left on device; ...
# and leaves no process of the program behind.  The trace goes to a 4 MiB
# tmpfs mounted for this case; the program reads 20 MB of /dev/urandom in
# 64 KiB reads (incompressible, so the trace cannot fit).  Needs root to
# mount: without it the case fails rather than skip.
. "$TOP/tests/lib.sh"
small_fs
tag=full-disk-$$-$RANDOM

start=$(date +%s%N)
timeout -k 5 60 "$SCRIBE" record -q -o "$small/t" -- "$B/urandom_read" 20000000 "$tag" \
	</dev/null >"$T/rec.out" 2>"$T/rec.err"
rs=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rs" != 124 ] && [ "$rs" != 137 ] || fail "scribe record did not stop on a full disk (timed out after ${ms} ms)"
[ "$rs" = 125 ] || { cat "$T/rec.err" >&2; fail "record onto a full file system exited $rs, expected 125"; }
[ "$ms" -lt 5000 ] || fail "scribe took ${ms} ms to stop on a full disk"
grep -q '^scribe: .*No space left on device' "$T/rec.err" ||
	fail "no 'scribe: ... No space left on device' line: $(cat "$T/rec.err")"
[ "$(grep -c '^scribe: ' "$T/rec.err")" = 1 ] || fail "more than one 'scribe:' line: $(cat "$T/rec.err")"
! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/rec.err" || fail "scribe crashed: $(cat "$T/rec.err")"
! grep -q '^total ' "$T/rec.out" || fail "the program ran to its end: the disk never filled? $(tail -1 "$T/rec.out")"
no_strays "$tag"

# The partial trace is refused cleanly (damaged or cut short), never a crash.
timeout -k 5 60 "$SCRIBE" replay "$small/t" </dev/null >/dev/null 2>"$T/rep.err"
ps=$?
[ "$ps" = 125 ] || fail "replay of the partial trace exited $ps, expected 125: $(cat "$T/rep.err")"
grep -q '^scribe: ' "$T/rep.err" || fail "replay of the partial trace printed no 'scribe:' line"
! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/rep.err" || fail "replay crashed: $(cat "$T/rep.err")"
