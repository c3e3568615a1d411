# fanotify_init is refused under scribe with EPERM (fanotify watches the
# whole file system from outside the program), with one warning on
# record's stderr; the program (tests/programs/fanotify_eperm.c) sees
# fanotify_mark fail with EBADF on the descriptor it did not get and falls
# back to inotify, which works.  Natively, as root, fanotify_init succeeds.
# Written out by hand since the warning is on record's stderr only.
. "$TOP/tests/lib.sh"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }
prog=$B/fanotify_eperm
nondet "$prog" "$T"
tr=$T/f
sc record -q -o "$tr" -- "$prog" "$T" >"$T/rec.out" 2>"$T/rec.err"
rs=$?
[ "$rs" = 0 ] || { cat "$T/rec.err" >&2; fail "record exited $rs"; }
out=$T/rec.out want '^fanotify_init: -1 EPERM$' '^fanotify_mark: -1 EBADF$' \
	'^fallback: inotify_add_watch [0-9]+$' '^fallback: read [0-9]+: IN_CREATE fan-PID$'
[ "$(grep -c '^scribe: ' "$T/rec.err")" = 1 ] || fail "record: not exactly one 'scribe:' line: $(cat "$T/rec.err")"
grep -q '^scribe: warning: the program called fanotify_init; scribe answered EPERM$' "$T/rec.err" ||
	fail "record: no fanotify_init EPERM warning: $(cat "$T/rec.err")"
[ "$(grep -v '^scribe: ' "$T/rec.err" | wc -c)" = 0 ] || fail "record: unexpected stderr: $(cat "$T/rec.err")"

sc replay "$tr" >"$T/rep.out" 2>"$T/rep.err"
ps=$?
if [ "$ps" = 125 ] && grep -q '^scribe: ' "$T/rep.err"; then
	grep '^scribe: ' "$T/rep.err" >&2
	fail "replay failed"
fi
cmp -s "$T/rec.out" "$T/rep.out" || { diff "$T/rec.out" "$T/rep.out" >&2; fail "stdout differs between record and replay"; }
[ "$rs" = "$ps" ] || fail "exit status differs: record $rs, replay $ps"
[ ! -s "$T/rep.err" ] || fail "replay: unexpected stderr: $(cat "$T/rep.err")"
n=$(sc info --events "$tr") || fail "info --events failed"
[ "$n" -gt 0 ] || fail "the trace has no events"
dump_trace "$tr"
grep -Eq '\] fanotify_init\(.*= -1 EPERM.*answered by scribe' "$tr.dump" ||
	fail "dump does not show fanotify_init answered EPERM by scribe"
[ -z "$(ls -A "$T" | grep '^fan-')" ] || fail "the program left its file behind: $(ls "$T")"
