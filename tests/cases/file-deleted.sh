# A file read by the program is deleted between record and replay: replay still
# prints the recorded contents.
. "$TOP/tests/lib.sh"
f=$T/data.txt
echo "contents that will be deleted $RANDOM" >"$f"
rr_check --expect-out '^contents that will be deleted' --between 'rm -f "$f"' -- "$B/catfile" "$f"
[ ! -e "$f" ] || fail "replay recreated $f"
