# The file system holding the object store fills up while a recording
# copies a file the program maps into it: scribe stops with exit 125 and
# one line naming the cause (No space left on device), leaves no half
# object in the store and no process behind.  The store is a 4 MiB tmpfs
# mounted for this case; the program maps a 6 MB file.
. "$TOP/tests/lib.sh"
small_fs
head -c 6000000 /dev/urandom >"$T/big.dat"
SCRIBE_DIR=$small timeout -k 5 60 "$SCRIBE" record -q -o "$T/t" -- "$B/store_mapfile" "$T/big.dat" \
	</dev/null >"$T/rec.out" 2>"$T/rec.err"
rs=$?
[ "$rs" = 125 ] || { cat "$T/rec.err" >&2; fail "record onto a full store exited $rs, expected 125"; }
grep -q '^scribe: .*No space left on device' "$T/rec.err" ||
	fail "no 'scribe: ... No space left on device' line: $(cat "$T/rec.err")"
[ "$(grep -c '^scribe: ' "$T/rec.err")" = 1 ] || fail "more than one 'scribe:' line: $(cat "$T/rec.err")"
! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/rec.err" || fail "scribe crashed: $(cat "$T/rec.err")"
[ -z "$(ls -A "$small/objects" | grep '^\.tmp\.')" ] || fail "a partial object was left in the store: $(ls -la "$small/objects")"
no_strays "$B/store_mapfile"
