# sha256sum of a file of random bytes; the file is replaced before replay, which
# must print the recorded hash.
. "$TOP/tests/lib.sh"
f=$T/random.bin
nondet bash -c 'head -c 200000 /dev/urandom >"$1"; exec /usr/bin/sha256sum "$1"' _ "$f"
head -c 200000 /dev/urandom >"$f"
want=$(/usr/bin/sha256sum "$f")
rr_check --between 'head -c 200000 /dev/urandom >"$f"' -- /usr/bin/sha256sum "$f"
[ "$(cat "$T/rr.rec.out")" = "$want" ] || fail "recorded hash is not the file's hash"
