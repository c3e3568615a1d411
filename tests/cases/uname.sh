# uname: deterministic on one machine, so the test moves it: the recording
# runs in a UTS namespace of its own named scribe-rec-*, the replay in
# another named scribe-rep-*.  A native run there prints that other name;
# the replay must print the recorded one (it comes from the trace, not
# from a uname the replay made again).
. "$TOP/tests/lib.sh"
command -v unshare >/dev/null || fail "no unshare (util-linux)"
rec_host=scribe-rec-$$ rep_host=scribe-rep-$$
# in_uts NAME CMD...: run CMD in a new UTS namespace whose hostname is NAME.
in_uts() { unshare --uts sh -c 'hostname "$0" && exec "$@"' "$@"; }
in_uts "$rep_host" "$B/uname" >"$T/native" || fail "cannot run uname in a UTS namespace of its own"
grep -qx "nodename $rep_host" "$T/native" || fail "the namespace's hostname did not show: $(cat "$T/native")"
# scribe record in the first namespace, replay (and info) in the second.
cat >"$T/scribe" <<SH
#!/bin/sh
h=$rep_host
[ "\$1" = record ] && h=$rec_host
exec unshare --uts sh -c 'hostname "\$0" && exec "\$@"' "\$h" "$SCRIBE" "\$@"
SH
chmod +x "$T/scribe"
SCRIBE=$T/scribe rr_check --expect-out '^sysname Linux$' -- "$B/uname"
grep -qx "nodename $rec_host" "$T/rr.rec.out" || fail "the recording did not run in its namespace: $(cat "$T/rr.rec.out")"
# Apart from the name, what a native run prints.
cmp -s <(grep -v '^nodename ' "$T/rr.rec.out") <(grep -v '^nodename ' "$T/native") ||
	fail "recorded uname differs from a native run: $(diff "$T/rr.rec.out" "$T/native")"
