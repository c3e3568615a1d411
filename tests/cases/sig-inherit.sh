# The signal state a program starts with (ignored signals and the blocked
# mask survive execve) is recorded, and replay starts the program with it,
# whatever `scribe replay` itself inherited.  A shell runs background jobs
# with SIGINT and SIGQUIT ignored: before the fix, a recording made in the
# foreground and replayed as a background job diverged (the program saw
# SIGINT ignored and was not killed by it; a shell took another path).
#   1. recorded in the foreground, replayed in the background: SIGINT
#      default, killed by it (130) both times;
#   2. recorded in the background, replayed in the foreground: SIGINT and
#      SIGQUIT ignored, "survived";
#   3. recorded with SIGUSR1 blocked and SIGPIPE ignored by the launcher,
#      replayed without: the same state both times.
. "$TOP/tests/lib.sh"
p=$B/sig_inherit

check() {     # NAME: record and replay outputs and statuses agree
	cmp -s "$T/$1.rec" "$T/$1.rep" || fail "$1: replay printed '$(cat "$T/$1.rep")', recorded '$(cat "$T/$1.rec")'"
	[ "$(cat "$T/$1.rs")" = "$(cat "$T/$1.ps")" ] || fail "$1: record exited $(cat "$T/$1.rs"), replay $(cat "$T/$1.ps")"
}

"$SCRIBE" record -q -o "$T/fg" -- "$p" </dev/null >"$T/fg.rec"; echo $? >"$T/fg.rs"
"$SCRIBE" replay "$T/fg" </dev/null >"$T/fg.rep" 2>"$T/fg.err" & wait $!; echo $? >"$T/fg.ps"
grep -q '^INT dfl QUIT dfl ' "$T/fg.rec" || fail "foreground recording: $(cat "$T/fg.rec")"
[ "$(cat "$T/fg.rs")" = 130 ] || fail "foreground recording exited $(cat "$T/fg.rs"), expected 130 (SIGINT)"
check fg

"$SCRIBE" record -q -o "$T/bg" -- "$p" </dev/null >"$T/bg.rec" & wait $!; echo $? >"$T/bg.rs"
"$SCRIBE" replay "$T/bg" </dev/null >"$T/bg.rep" 2>"$T/bg.err"; echo $? >"$T/bg.ps"
grep -q '^INT ign QUIT ign ' "$T/bg.rec" && grep -q '^survived' "$T/bg.rec" ||
	fail "background recording: $(cat "$T/bg.rec")"
check bg
"$SCRIBE" info "$T/bg" | grep -qx 'signals:    ignored INT QUIT; blocked none' ||
	fail "info does not show the ignored signals: $("$SCRIBE" info "$T/bg" | grep signals:)"

python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
signal.signal(signal.SIGPIPE, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$SCRIBE" record -q -o "$T/mask" -- "$p" </dev/null >"$T/mask.rec"
echo $? >"$T/mask.rs"
"$SCRIBE" replay "$T/mask" </dev/null >"$T/mask.rep" 2>"$T/mask.err"; echo $? >"$T/mask.ps"
grep -q 'PIPE ign USR1 blocked TERM open' "$T/mask.rec" || fail "recording with a mask: $(cat "$T/mask.rec")"
check mask
# (python3 ignores SIGXFSZ itself, and passes that on too)
"$SCRIBE" info "$T/mask" | grep -Eqx 'signals:    ignored PIPE( XFSZ)?; blocked USR1' ||
	fail "info does not show the signal state: $("$SCRIBE" info "$T/mask" | grep signals:)"
