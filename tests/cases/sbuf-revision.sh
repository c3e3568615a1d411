# A trace whose syscall buffer differs from this scribe's (another
# revision: its buffered and traced calls fall elsewhere) does not
# replay, and replay must say why when it diverges, naming the version
# that recorded it.  A divergence is made by telling replay that the
# loader stub was not used, when it was: it then expects the loader's
# calls as traced events.  With this scribe's revision the message has
# no such hint; with revision 1 (traces before the header said) it has.
. "$TOP/tests/lib.sh"
needs_buffer
TOOL=$B/trace-tool
[ -x "$TOOL" ] || fail "no $TOOL (run make test-programs)"
rev=$(sed -n 's/^#define SB_REVISION \([0-9]*\).*/\1/p' "$TOP/src/preload/sbuf.h")
[ -n "$rev" ] || fail "no SB_REVISION in src/preload/sbuf.h"
nondet "$B/clock"
rr_check --status 0 -- "$B/clock"
"$TOOL" set-buffer "$T/rr" 0 "$rev" || fail "trace-tool set-buffer failed"
"$SCRIBE" replay "$T/rr" >/dev/null 2>"$T/same.err" && fail "replay without the stub it was recorded with did not diverge"
grep -q 'replay diverged' "$T/same.err" || fail "no divergence reported: $(cat "$T/same.err")"
grep -q 'syscall buffer differs' "$T/same.err" && fail "a hint about another revision for this one's: $(cat "$T/same.err")"
"$TOOL" set-buffer "$T/rr" 0 1 || fail "trace-tool set-buffer failed"
"$SCRIBE" replay "$T/rr" >/dev/null 2>"$T/old.err" && fail "the revision-1 trace replayed"
grep -Eq "replay diverged .*\(this trace was recorded by scribe [0-9.]+, whose syscall buffer differs from this one's: replay it with that version\)" "$T/old.err" ||
	fail "no hint about the trace's other revision: $(cat "$T/old.err")"
# Back to what it was: it replays again.
"$TOOL" set-buffer "$T/rr" 1 "$rev" && "$SCRIBE" replay "$T/rr" >/dev/null 2>&1 ||
	fail "the restored trace did not replay"
