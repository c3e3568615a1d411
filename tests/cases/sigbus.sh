# SIGBUS from touching a file mapping beyond the file's end; handler siglongjmps.
# The file grows before replay: replay must still fault where the recording did.
. "$TOP/tests/lib.sh"
f=$T/short.dat
echo "a short file $RANDOM" >"$f"
nondet "$B/sigbus" "$f"
rr_check --expect-out '^page 2: SIGBUS si_code 2' \
	--between 'head -c 20000 /dev/urandom >>"$f"' -- "$B/sigbus" "$f"
