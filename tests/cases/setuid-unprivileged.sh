# Recorded by an unprivileged user (nobody), a setuid, a setgid and a
# file-capability program run without their privileges, as under any
# debugger (scribe's seccomp filter needs no_new_privs then), and the
# recording says so in exactly one warning; replay (as nobody too) shows
# what was recorded.  Natively the setuid copy runs with euid 0.
. "$TOP/tests/lib.sh"
[ "$(id -u)" = 0 ] || fail "this case makes setuid copies and runs them as nobody: run it as root"
command -v setpriv >/dev/null || fail "no setpriv (util-linux)"
command -v setcap >/dev/null || fail "no setcap (libcap2-bin: scripts/deps.sh)"
d=$T/nobody
mkdir "$d" && chmod 755 "$T" && chmod 777 "$d" || fail "cannot make a directory for nobody"
cp "$B/setuid_layout" "$d/u" && chmod 4755 "$d/u"
cp "$B/setuid_layout" "$d/g" && chgrp nogroup "$d/g" && chmod 2755 "$d/g"
cp "$B/setuid_layout" "$d/c" && setcap cap_net_raw+ep "$d/c" || fail "cannot make the privileged copies"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
as_nobody "$d/u" | grep -q '^uid 65534 euid 0 ' || fail "natively the setuid copy does not run as euid 0"

cd "$d" || fail "cd $d"
as_nobody timeout -k 5 60 "$SCRIBE" record -q -o "$d/t" -- sh -c './u; ./g; ./c' \
	</dev/null >"$T/rec.out" 2>"$T/rec.err"
rs=$?
[ "$rs" = 0 ] || { cat "$T/rec.err" >&2; fail "record as nobody exited $rs"; }
[ "$(grep -c '^uid 65534 euid 65534 gid 65534 egid 65534$' "$T/rec.out")" = 3 ] ||
	fail "recorded, the privileged copies did not all run unprivileged: $(cat "$T/rec.out")"
[ "$(grep -c '^scribe: ' "$T/rec.err")" = 1 ] || fail "record: not exactly one 'scribe:' line: $(cat "$T/rec.err")"
grep -q "^scribe: warning: $d/u is setuid; recorded by an unprivileged user, it runs without those privileges, as under any debugger\$" "$T/rec.err" ||
	fail "record: no warning that the setuid program ran unprivileged: $(cat "$T/rec.err")"

as_nobody timeout -k 5 60 "$SCRIBE" replay "$d/t" </dev/null >"$T/rep.out" 2>"$T/rep.err"
ps=$?
[ "$ps" = 0 ] || { cat "$T/rep.err" >&2; fail "replay as nobody exited $ps"; }
cmp -s "$T/rec.out" "$T/rep.out" || { diff "$T/rec.out" "$T/rep.out" >&2; fail "stdout differs between record and replay"; }
[ ! -s "$T/rep.err" ] || fail "replay: unexpected stderr: $(cat "$T/rep.err")"
