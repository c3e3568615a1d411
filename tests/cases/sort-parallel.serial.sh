# sort --parallel=2 on a 50 MB file of random lines, under one bash: with -S 1M
# (many temporary files, merged) and with -S 20M (2 sorting threads per
# buffer, then temporary files), then the checksums of both results.  Input,
# outputs and temporary files are deleted before replay, so a replay that ran
# sort for real could not print the checksums.
. "$TOP/tests/lib.sh"
head -c 37000000 /dev/urandom | base64 -w 60 >"$T/big"
mkdir "$T/tmp"
want=$(LC_ALL=C sort "$T/big" | sha256sum)
cmd="sort --parallel=2 -S 1M -T '$T/tmp' '$T/big' -o '$T/out1' &&
     sort --parallel=2 -S 20M -T '$T/tmp' '$T/big' -o '$T/out2' &&
     sha256sum <'$T/out1' && sha256sum <'$T/out2'"
rr_check --env LC_ALL=C --between 'rm -rf "$T/big" "$T/out1" "$T/out2" "$T/tmp"' -- /bin/bash -c "$cmd"
[ "$(cat "$T/rr.rec.out")" = "$(printf '%s\n%s' "$want" "$want")" ] || fail "sort's output: $(cat "$T/rr.rec.out"), expected $want twice"
[ ! -e "$T/out1" ] && [ ! -e "$T/out2" ] && [ ! -e "$T/tmp" ] || fail "replay wrote files"
tasks=$("$SCRIBE" info "$T/rr" | sed -n 's/^tasks: *\([0-9]*\) in.*/\1/p')
[ "${tasks:-0}" -ge 5 ] || fail "sort created no threads ($tasks tasks in the trace)"
