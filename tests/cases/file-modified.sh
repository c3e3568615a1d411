# A file read by the program is modified between record and replay: replay prints
# the recorded contents and size.
. "$TOP/tests/lib.sh"
f=$T/data.txt
nondet bash -c 'head -c 24 /dev/urandom | od -An -tx1 >"$1"; exec "$0" "$1"' "$B/catfile" "$f"
echo "the original contents $RANDOM" >"$f"
rr_check --expect-out '^the original contents' \
	--between 'echo "modified after the recording, and longer than before" >"$f"' \
	-- "$B/catfile" "$f"
